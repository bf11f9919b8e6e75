// A plain-text table: a header, a rule, one line per row, columns padded to
// their widest cell (numbers to the right). The catalogue's table and
// `check`'s are both drawn with it. A streamed table (`pagerace scenarios`
// prints each row as its variant finishes) cannot measure rows it has not
// seen: its widths are fixed in advance, from what the columns can hold.

export interface Column<Row> {
  readonly title: string;
  readonly right?: boolean;
  readonly cell: (r: Row) => string;
}

export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((line) => line[i]!.length)));
  const t = layout(columns, widths);
  return [t.head, ...cells.map(t.line)].join("\n");
}

export interface StreamedTable<Row> {
  /** The header and the rule under it. */
  readonly head: string;
  /** One row's line, aligned with the head; a cell wider than its column is printed whole (the row then runs past its neighbours). */
  row(r: Row): string;
}

/** A table whose column `i` is at least `widths[i]` wide (and as wide as its title), for printing rows one at a time. */
export function streamedTable<Row>(columns: readonly Column<Row>[], widths: readonly number[]): StreamedTable<Row> {
  const t = layout(
    columns,
    columns.map((c, i) => Math.max(c.title.length, widths[i] ?? 0)),
  );
  return { head: t.head, row: (r) => t.line(columns.map((c) => c.cell(r))) };
}

function layout<Row>(columns: readonly Column<Row>[], widths: readonly number[]) {
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = widths
    .map((w) => "-".repeat(w))
    .join("  ")
    .trimEnd();
  return { head: [line(columns.map((c) => c.title)), rule].join("\n"), line };
}
