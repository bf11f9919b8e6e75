// A plain-text table: a header, a rule, one line per row, columns padded to
// their widest cell (numbers to the right). The catalogue's table and
// `check`'s are both drawn with it.

export interface Column<Row> {
  readonly title: string;
  readonly right?: boolean;
  readonly cell: (r: Row) => string;
}

export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = [columns.map((c) => c.title), ...rows.map((r) => columns.map((c) => c.cell(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = widths
    .map((w) => "-".repeat(w))
    .join("  ")
    .trimEnd();
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join("\n");
}
