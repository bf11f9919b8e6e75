// Puts a trace's cells on lines: side by side in one column per thread when
// that fits the width, else listed one per line with the thread's name in
// front (`trunc0  inode_lock: F.i_rwsem free→writer`), long texts wrapped
// under their start. Nothing is ever cut: a value cut off is a trace that
// lies by omission.

export interface PlacedCell {
  readonly tid: number;
  readonly text: string;
}

export function layOut(threadNames: readonly string[], cells: readonly PlacedCell[], width: number): string[] {
  const cols = threadNames.map((_, tid) => tid).filter((tid) => cells.some((c) => c.tid === tid));
  const colWidth = new Map<number, number>();
  for (const tid of cols) colWidth.set(tid, Math.max(threadNames[tid]!.length, ...cells.filter((c) => c.tid === tid).map((c) => c.text.length)));
  const total = cols.reduce((n, tid) => n + colWidth.get(tid)!, 0) + 3 * Math.max(cols.length - 1, 0);
  return total <= width ? sideBySide(threadNames, cols, colWidth, cells) : listing(threadNames, cols, cells, width);
}

function sideBySide(names: readonly string[], cols: readonly number[], width: ReadonlyMap<number, number>, cells: readonly PlacedCell[]): string[] {
  const line = (byTid: ReadonlyMap<number, string>) =>
    cols
      .map((tid) => (byTid.get(tid) ?? "").padEnd(width.get(tid)!))
      .join(" | ")
      .trimEnd();
  const out = [line(new Map(cols.map((tid) => [tid, names[tid]!]))), cols.map((tid) => "-".repeat(width.get(tid)!)).join("-+-")];
  for (const c of cells) out.push(line(new Map([[c.tid, c.text]])));
  return out;
}

function listing(names: readonly string[], cols: readonly number[], cells: readonly PlacedCell[], width: number): string[] {
  const nameWidth = Math.max(0, ...cols.map((tid) => names[tid]!.length));
  const indent = " ".repeat(nameWidth + 2);
  // Below this the text column is too narrow to read; lines then run past the width instead.
  const textWidth = Math.max(width - indent.length, 30);
  const out: string[] = [];
  for (const c of cells) {
    wrap(c.text, textWidth).forEach((part, i) => out.push(`${i === 0 ? names[c.tid]!.padEnd(nameWidth) + "  " : indent}${part}`.trimEnd()));
  }
  return out;
}

/** Splits at the last ", " or " " that fits; a word longer than the line is split where it must be. */
export function wrap(text: string, width: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let at = rest.lastIndexOf(", ", width - 1);
    let skip = 2;
    if (at <= 0) {
      at = rest.lastIndexOf(" ", width);
      skip = 1;
    }
    if (at <= 0) {
      at = width;
      skip = 0;
    }
    parts.push(rest.slice(0, at + (skip === 2 ? 1 : 0)));
    rest = rest.slice(at + skip);
  }
  parts.push(rest);
  return parts;
}
