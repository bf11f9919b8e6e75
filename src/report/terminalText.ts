// Text that came from outside pagerace — litmus input, file names, model
// names and messages — made safe to print on a terminal. Raw, an ESC
// starts a control sequence that recolours or clears the screen, a CR or
// newline breaks a line or a table column, and a bidi override (U+202A to
// U+202E, U+2066 to U+2069) reorders what follows so the text reads other
// than it is. Each such character is printed as a visible escape instead
// (`\e`, `\n`, `\u202e`); printable text, including non-ASCII letters, is
// left as it is. Backslashes are left alone, so escaping twice changes
// nothing: a message escaped where it was built can be escaped again where
// it is printed.

export interface TerminalTextOptions {
  /** Keep `\n` as a line break (for messages meant to span lines, such as a usage text). Default false. */
  readonly keepNewlines?: boolean;
  /**
   * At most this many characters are printed (escapes counted as printed);
   * longer text ends with `…`. For quoting input, which may be a
   * megabyte-long identifier. Default: no limit.
   */
  readonly maxChars?: number;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e", "\0": "\\0" };

/**
 * Characters a terminal does not print as themselves: C0 controls, DEL, C1
 * controls, the line and paragraph separators, bidi marks, embeddings,
 * overrides and isolates, the byte-order mark, and lone surrogates (half
 * of a character, which terminals print as garbage or not at all).
 */
const NON_PRINTING = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function escapeChar(c: string): string {
  return NAMED_ESCAPES[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const NON_PRINTING_ALL = new RegExp(NON_PRINTING.source, "g");

/** `text` with every non-printing character escaped, optionally cut to `maxChars` printed characters with `…`. */
export function escapeForTerminal(text: string, options: TerminalTextOptions = {}): string {
  const { keepNewlines = false, maxChars } = options;
  // Only the head of a huge input can be shown: escape no more of it than can be printed.
  const head = maxChars !== undefined && text.length > maxChars ? text.slice(0, maxChars + 1) : text;
  let escaped = head.replace(NON_PRINTING_ALL, (c) => (keepNewlines && c === "\n" ? c : escapeChar(c)));
  if (maxChars === undefined) return escaped;
  if (escaped.length <= maxChars && head.length === text.length) return escaped;
  escaped = escaped.slice(0, Math.max(0, maxChars - 1));
  // Do not end on half an escape or half a surrogate pair.
  const lastEscape = escaped.lastIndexOf("\\");
  if (lastEscape >= 0 && /^\\(x[0-9a-f]?|u[0-9a-f]{0,3})?$/.test(escaped.slice(lastEscape))) escaped = escaped.slice(0, lastEscape);
  if (/[\ud800-\udbff]$/.test(escaped)) escaped = escaped.slice(0, -1);
  return `${escaped}…`;
}

/** How many characters of a piece of input an error message shows. */
export const INPUT_EXCERPT_CHARS = 40;

/** A piece of input as an error message shows it: escaped, at most `maxChars` characters. */
export function excerptForTerminal(text: string, maxChars = INPUT_EXCERPT_CHARS): string {
  return escapeForTerminal(text, { maxChars });
}

/** The same, in quotes: `'text'`. */
export function quoteForTerminal(text: string, maxChars = INPUT_EXCERPT_CHARS): string {
  return `'${excerptForTerminal(text, maxChars)}'`;
}

/** Whether `text` prints as itself. */
export function isTerminalSafe(text: string): boolean {
  return !NON_PRINTING.test(text);
}

/**
 * `JSON.stringify(value, null, 2)` with the characters JSON leaves raw but
 * a terminal does not print as themselves (DEL, C1 controls, separators,
 * bidi controls) written as `\uXXXX` escapes: the same JSON value, safe to
 * print. Outside strings JSON text is plain ASCII, so every such character
 * sits in a string, where `\uXXXX` is valid. (JSON.stringify already
 * escapes C0 controls and lone surrogates.)
 */
export function terminalSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
