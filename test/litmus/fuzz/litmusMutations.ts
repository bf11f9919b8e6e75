// The ways a hostile or careless user breaks a litmus file, as the fuzzer
// applies them: flipped characters, edited tokens, truncation, huge
// numbers, unicode (escape sequences, bidi overrides, emoji, lone
// surrogates), megabyte identifiers, nesting far past the limit (20,000
// levels of parentheses, blocks, unary operators, `if`s, condition
// parentheses and `~`), no process and 40 processes, 10,000-line bodies,
// and operator chains thousands of terms long.

import type { RandomChoice } from "./randomChoice.ts";

export type MutationKind =
  | "byte-flip" | "token-edit" | "truncate" | "huge-number" | "unicode" | "huge-identifier"
  | "deep-nesting" | "no-process" | "many-processes" | "long-body" | "long-chain" | "splice";

/** How often each kind is drawn; the expensive ones (a megabyte of text, 10,000 lines) rarely. */
const WEIGHTS: ReadonlyArray<readonly [MutationKind, number]> = [
  ["byte-flip", 20], ["token-edit", 25], ["truncate", 8], ["huge-number", 6], ["unicode", 10], ["huge-identifier", 1],
  ["deep-nesting", 10], ["no-process", 2], ["many-processes", 2], ["long-body", 1], ["long-chain", 5], ["splice", 6],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

export function pickMutation(r: RandomChoice): MutationKind {
  let x = r.next() * TOTAL_WEIGHT;
  for (const [kind, w] of WEIGHTS) if ((x -= w) < 0) return kind;
  return WEIGHTS[0]![0];
}

/** Depths around the limit (256) and far past it. */
const DEPTHS = [8, 100, 200, 250, 255, 256, 257, 300, 1000, 1900, 2048, 3072, 5000, 20000];

const VOCABULARY = [
  "(", ")", "{", "}", "[", "]", ";", ",", "=", "*", "&", "+", "-", "/\\", "\\/", "=>", "~", "!", ":", "(*", "*)", "/*", "*/", "//",
  "exists", "~exists", "forall", "filter", "locations", "not", "true", "int", "if", "else", "while", "return", "P0", "P1", "P3",
  "0:r0", "READ_ONCE", "WRITE_ONCE", "smp_mb", "spin_lock", "xchg", "cmpxchg", "atomic_t", "ATOMIC_INIT", "C", "x", "r0", "0", "1",
  "0x", "1UL", "\"", "'", "\\", "$", "#", "@", "?", ".", "->", "++", "+=", "sizeof", "struct",
];

const UNICODE = [
  "\x1b[2J", "\x1b[31m", "\x1b]0;title\x07", "\r", "\0", "\t", "\x7f", "\x85", "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u2028",
  "\ufeff", "é", "λ", "читать", "\u0301", "😀", "\ud83d", "\ude00", "\uffff", "𝑥",
];

const HUGE_NUMBERS = ["9".repeat(30), "0x" + "f".repeat(20), "9007199254740992", "9007199254740991", "-9223372036854775808", "0x", "1e9", "00000000000000000001", "18446744073709551615UL"];

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+|\s+|\/\\|\\\/|=>|\(\*|\*\)|[^\sA-Za-z0-9_]/g;

function insertAt(text: string, at: number, what: string): string {
  return text.slice(0, at) + what + text.slice(at);
}

/** Where process code sits: just after the first `{` following `P0(`; else the middle of the text. */
function bodyOffset(text: string): number {
  const p = text.search(/P\d+\s*\(/);
  const open = p < 0 ? -1 : text.indexOf("{", p);
  return open < 0 ? text.length >> 1 : open + 1;
}

function conditionOffset(text: string): number {
  const m = /exists\s*|forall\s*/.exec(text);
  return m ? m.index + m[0].length : text.length;
}

function deepNesting(text: string, r: RandomChoice): string {
  const n = r.pick(DEPTHS);
  const inBody = (code: string): string => insertAt(text, bodyOffset(text), `\n\t${code}\n`);
  switch (r.int(8)) {
    case 0:
      return inBody(`r9 = ${"(".repeat(n)}1${")".repeat(n)};`);
    case 1:
      return inBody(`${"{".repeat(n)} r9 = 1; ${"}".repeat(n)}`);
    case 2:
      return inBody(`r9 = ${r.pick(["-", "!", "~", "*", "(int)"]).repeat(n)}1;`);
    case 3:
      return inBody(`${"if (r9) ".repeat(n)}r9 = 1;`);
    case 4:
      return inBody(`r9 = ${"READ_ONCE(*".repeat(Math.min(n, 3000))}x${")".repeat(Math.min(n, 3000))};`);
    case 5:
      return insertAt(text, conditionOffset(text), `${"(".repeat(n)}0:r0=0${")".repeat(n)} /\\ `);
    case 6:
      return insertAt(text, conditionOffset(text), `${"~".repeat(n)}0:r0=0 /\\ `);
    default:
      // Unbalanced: only opening parentheses, as a truncated file has.
      return inBody(`r9 = ${"(".repeat(n)}`);
  }
}

function longChain(text: string, r: RandomChoice): string {
  const n = r.pick([1000, 4500, 10000]);
  switch (r.int(4)) {
    case 0:
      return insertAt(text, bodyOffset(text), `\n\tr9 = 1${" + 1".repeat(n)};\n`);
    case 1:
      return insertAt(text, bodyOffset(text), `\n\tr9 = READ_ONCE(*x)${r.pick([" && ", " || ", " - ", " * "])}${"r9 + ".repeat(n)}1;\n`);
    case 2:
      return insertAt(text, conditionOffset(text), `${"0:r0=0 /\\ ".repeat(n)}`);
    default:
      return insertAt(text, conditionOffset(text), `${"0:r0=1 \\/ ".repeat(n)}`);
  }
}

function manyProcesses(text: string): string {
  const m = /P0\s*\([^)]*\)\s*\{[^}]*\}/.exec(text);
  const p0 = m ? m[0] : "P0(int *x) { WRITE_ONCE(*x, 1); }";
  const more = Array.from({ length: 39 }, (_, i) => p0.replace(/^P0/, `P${i + 1}`)).join("\n");
  const at = m ? m.index + m[0].length : bodyOffset(text);
  return insertAt(text, at, `\n${more}\n`);
}

export function mutate(text: string, kind: MutationKind, r: RandomChoice, donor: string): string {
  switch (kind) {
    case "byte-flip": {
      let out = text;
      for (let k = 1 + r.int(8); k > 0 && out.length > 0; k--) {
        const at = r.int(out.length);
        const c = r.chance(0.5) ? String.fromCharCode(32 + r.int(95)) : String.fromCharCode(r.int(256));
        out = out.slice(0, at) + c + out.slice(at + 1);
      }
      return out;
    }
    case "token-edit": {
      const tokens = text.match(TOKEN) ?? [];
      for (let k = 1 + r.int(4); k > 0; k--) {
        const at = r.int(tokens.length + 1);
        switch (r.int(4)) {
          case 0:
            tokens.splice(at, 1);
            break;
          case 1:
            tokens.splice(at, 0, tokens[at] ?? "");
            break;
          case 2:
            tokens.splice(at, 0, r.pick(VOCABULARY));
            break;
          default:
            tokens[at] = r.pick(VOCABULARY);
        }
      }
      return tokens.join("");
    }
    case "truncate":
      return text.slice(0, r.int(text.length + 1));
    case "huge-number": {
      const numbers = [...text.matchAll(/\b\d+\b/g)];
      const huge = r.pick(HUGE_NUMBERS);
      if (numbers.length === 0) return insertAt(text, bodyOffset(text), `r9 = ${huge};`);
      const m = r.pick(numbers);
      return text.slice(0, m.index) + huge + text.slice(m.index! + m[0].length);
    }
    case "unicode": {
      let out = text;
      for (let k = 1 + r.int(3); k > 0; k--) out = insertAt(out, r.int(out.length + 1), r.pick(UNICODE));
      return out;
    }
    case "huge-identifier": {
      const names = [...text.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)];
      const huge = "v".repeat(1 << 20);
      if (names.length === 0) return huge + text;
      const m = r.pick(names);
      return text.slice(0, m.index) + huge + text.slice(m.index! + m[0].length);
    }
    case "deep-nesting":
      return deepNesting(text, r);
    case "no-process": {
      // Everything from the first process to the final section goes.
      const start = text.search(/P\d+\s*\(/);
      if (start < 0) return text;
      const rest = text.slice(start);
      const end = rest.search(/^\s*(exists|~exists|forall|locations|filter)/m);
      return text.slice(0, start) + (end < 0 ? "" : rest.slice(end));
    }
    case "many-processes":
      return manyProcesses(text);
    case "long-body":
      return insertAt(text, bodyOffset(text), `\n${"\tWRITE_ONCE(*x, 1);\n\tr9 = READ_ONCE(*x);\n".repeat(5000)}`);
    case "long-chain":
      return longChain(text, r);
    case "splice": {
      const a = r.int(text.length + 1);
      const b = r.int(donor.length + 1);
      return text.slice(0, a) + donor.slice(b, b + r.int(400));
    }
  }
}
