// Where a module's static imports name their modules: the string after
// `import`, or after the `from` of an import or export clause, found with
// sucrase's tokenizer (a module's text may hold strings and comments that
// look like imports). Only a cache miss needs this (cachedModelModule.ts):
// sucrase is loaded then anyway.

/** The [start, end) of each specifier's string literal, quotes included; undefined for a module that finds its own path or imports at run time (import.meta, import()), which only module hooks serve as Node would. */
export type SpecifierSpans = readonly (readonly [number, number])[];

interface Token {
  readonly type: number;
  readonly start: number;
  readonly end: number;
}

/** Sucrase's parser, which it does not export by name: typed here as far as it is used. */
interface SucraseParser {
  parse(code: string, jsx: boolean, typeScript: boolean, flow: boolean): { readonly tokens: readonly Token[] };
}
type TokenTypes = Readonly<Record<string, number>>;

const PARSER = "sucrase/dist/parser/index.js";
const TOKEN_TYPES = "sucrase/dist/parser/tokenizer/types.js";

export async function importSpecifiers(code: string): Promise<SpecifierSpans | undefined> {
  const [{ parse }, { TokenType: tt }] = (await Promise.all([import(PARSER), import(TOKEN_TYPES)])) as [SucraseParser, { TokenType: TokenTypes }];
  const tokens = parse(code, false, false, false).tokens;
  const text = (t: Token) => code.slice(t.start, t.end);
  /** Tokens an import or export clause is made of, between its keyword and `from`. */
  const clause = new Set([tt.name, tt.braceL, tt.braceR, tt.comma, tt.star, tt._default, tt.string]);
  const spans: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (text(t) === "import") {
      // import.meta reads as a name; import(...) and import.meta as the keyword followed by "(" or ".".
      const next = tokens[i + 1];
      if (t.type !== tt._import || next === undefined || next.type === tt.parenL || next.type === tt.dot) return undefined;
    }
    if (t.type !== tt.string || i === 0) continue;
    const before = tokens[i - 1]!;
    if (before.type === tt._import) {
      spans.push([t.start, t.end]);
      continue;
    }
    if (before.type !== tt.name || text(before) !== "from") continue;
    let j = i - 2;
    while (j >= 0 && clause.has(tokens[j]!.type)) j--;
    if (j >= 0 && (tokens[j]!.type === tt._import || tokens[j]!.type === tt._export)) spans.push([t.start, t.end]);
  }
  return spans;
}
