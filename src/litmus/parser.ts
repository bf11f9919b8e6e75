// Parses a whole C litmus test. The file splits as herd splits it: header
// up to `{`, the initial state up to the first `}`, C processes up to the
// first keyword of the final section (outside braces), then the final
// section to the end of the file. Each part has its own lexer.

import type { LitmusTest } from "./ast.ts";
import { parseProcesses } from "./codeParser.ts";
import { LitmusSyntaxError } from "./errors.ts";
import { parseHeader } from "./header.ts";
import { lexCode, lexState } from "./lexer.ts";
import { SourceText } from "./source.ts";
import { parseFinalSection, parseInitState } from "./stateParser.ts";
import { TokenCursor } from "./tokens.ts";
import { quoteForTerminal } from "../report/terminalText.ts";

export function parseLitmus(text: string, fileName = "<litmus>"): LitmusTest {
  const src = new SourceText(text, fileName);
  const header = parseHeader(src);

  const init = parseInitState(new TokenCursor(lexState(src, header.initStart, header.initEnd, "}"), src));

  const code = lexCode(src, header.initEnd + 1);
  const processes = parseProcesses(new TokenCursor(code.tokens, src));
  if (processes.length === 0) {
    const at = code.tokens[code.tokens.length - 1]!;
    throw new LitmusSyntaxError(fileName, at.pos, "a process such as 'P0(int *x)'", at.text === "" ? "end of input" : quoteForTerminal(at.text));
  }
  const seen = new Map<number, number>();
  for (const p of processes) {
    if (seen.has(p.proc)) throw new LitmusSyntaxError(fileName, p.pos, `a process other than P${p.proc} (defined at line ${seen.get(p.proc)})`, `P${p.proc}`);
    seen.set(p.proc, p.pos.line);
  }

  const final = parseFinalSection(new TokenCursor(lexState(src, code.end, text.length), src));
  return {
    fileName,
    arch: header.arch,
    name: header.name,
    info: header.info,
    doc: header.doc,
    init,
    processes: [...processes].sort((a, b) => a.proc - b.proc),
    locations: final.locations,
    filter: final.filter,
    condition: final.condition,
  };
}
