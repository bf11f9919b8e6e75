// The order in which a module's exports appear in its source text. An ES
// module namespace lists its exports alphabetically, not in file order, so
// `check` reads the file to run its models in the order they were written.
// A name is placed where it is declared (`export const NAME`, `export
// function NAME`, `export class NAME`, `export default`) or listed
// (`export { a, b as NAME }`, with or without `from`); names found nowhere
// (`export * from`) follow, alphabetically.

const DECLARATION = /\bexport\s+(?:declare\s+)?(?:async\s+)?(?:const|let|var|function\s*\*?|class|abstract\s+class)\s*([A-Za-z_$][\w$]*)/g;
const DEFAULT = /\bexport\s+default\b/g;
const LIST = /\bexport\s+(?:type\s+)?\{([^}]*)\}/g;

export function exportOrder(source: string, names: readonly string[]): string[] {
  // Comments could hold text that looks like an export; blank them, keeping offsets.
  const text = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, " "));
  const at = new Map<string, number>();
  const place = (name: string, offset: number) => {
    if (!at.has(name) || at.get(name)! > offset) at.set(name, offset);
  };
  for (const m of text.matchAll(DECLARATION)) place(m[1]!, m.index!);
  for (const m of text.matchAll(DEFAULT)) place("default", m.index!);
  for (const m of text.matchAll(LIST)) {
    let offset = m.index! + m[0].indexOf("{") + 1;
    for (const entry of m[1]!.split(",")) {
      const exported = entry.trim().split(/\s+as\s+/).pop()?.trim();
      if (exported) place(exported, offset);
      offset += entry.length + 1;
    }
  }
  const found = names.filter((n) => at.has(n)).sort((a, b) => at.get(a)! - at.get(b)!);
  const rest = names.filter((n) => !at.has(n)).sort();
  return [...found, ...rest];
}
