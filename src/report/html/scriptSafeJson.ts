// Data for a page, as the text of a `<script type="application/json">`
// element. JSON.stringify escapes quotes and controls but not markup: a
// model's string holding `</script>` would end the element and what follows
// would be parsed as HTML. Every `<`, `>` and `&` is written as a JSON
// escape instead (the parsed value is unchanged), and so are U+2028/U+2029,
// which some JavaScript parsers take for line ends.

const ESCAPES: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!);
}
