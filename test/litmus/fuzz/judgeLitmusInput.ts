// What pagerace does with one fuzz input, in this thread: read it (parse
// and compile), and when it is accepted, explore it briefly and print its
// herd block. The verdicts the fuzzer counts:
//   accepted            read without error (its exploration may be cut short by the time budget)
//   rejected-located    a LitmusError citing a real `file:line:col` of the input
//   rejected-unlocated  a LitmusError whose position is not in the input
//   unsafe-output       a message or block line with non-printing characters, or a message quoting
//                       too much of the input (a megabyte identifier must not come back whole)
//   crash               anything else thrown: RangeError (stack), TypeError, a failed internal check

import { compileLitmus, type CompiledLitmus } from "../../../src/litmus/compile.ts";
import { LitmusError } from "../../../src/litmus/errors.ts";
import { parseLitmus } from "../../../src/litmus/parser.ts";
import { LitmusTimeout, runLitmus } from "../../../src/litmus/run/runLitmus.ts";
import { SourceText } from "../../../src/litmus/source.ts";
import { lkmm } from "../../../src/models/lkmm/index.ts";
import { sc } from "../../../src/models/sc.ts";
import { renderHerdBlock } from "../../../src/report/herd/herdBlock.ts";
import { escapeForTerminal, isTerminalSafe } from "../../../src/report/terminalText.ts";

export type FuzzVerdict = "accepted" | "rejected-located" | "rejected-unlocated" | "unsafe-output" | "crash";

export interface FuzzOutcome {
  readonly verdict: FuzzVerdict;
  /** The message, for every verdict but accepted. */
  readonly detail?: string;
  /** Accepted, but exploration stopped at the time budget. */
  readonly explorationCut?: boolean;
}

export interface JudgeOptions {
  /** Exploration budget per accepted input. */
  readonly explorationMs: number;
  /** LKMM instead of SC (slower; SC exercises the same front end). */
  readonly lkmm?: boolean;
  /** Told when reading ends and exploring starts, for a watchdog that must tell a hung reader from a long exploration. */
  readonly onExploring?: () => void;
}

/** Longest message a rejection may have: the fixed text plus a few quoted excerpts of input. */
const MAX_MESSAGE_CHARS = 400;

export function judgeLitmusInput(text: string, fileName: string, options: JudgeOptions): FuzzOutcome {
  let compiled: CompiledLitmus;
  try {
    compiled = compileLitmus(parseLitmus(text, fileName));
  } catch (e) {
    if (!(e instanceof LitmusError)) return crash(e);
    return judgeRejection(e, text, fileName);
  }
  options.onExploring?.();
  try {
    const run = runLitmus(compiled, { memoryModel: options.lkmm ? lkmm : sc, maxEventsPerThread: 64, deadline: performance.now() + options.explorationMs });
    const unsafe = renderHerdBlock(run).split("\n").find((line) => !isTerminalSafe(line));
    if (unsafe !== undefined) return { verdict: "unsafe-output", detail: `herd block line ${JSON.stringify(unsafe.slice(0, 80))}` };
    return { verdict: "accepted" };
  } catch (e) {
    if (e instanceof LitmusTimeout) return { verdict: "accepted", explorationCut: true };
    return crash(e);
  }
}

function judgeRejection(e: LitmusError, text: string, fileName: string): FuzzOutcome {
  const src = new SourceText(text, fileName);
  const { line, col, offset } = e.pos;
  const at = offset >= 0 && offset <= text.length ? src.pos(offset) : undefined;
  const located = at !== undefined && at.line === line && at.col === col && e.message.startsWith(`${escapeForTerminal(fileName)}:${line}:${col}: `);
  if (!located) return { verdict: "rejected-unlocated", detail: e.message.slice(0, 200) };
  if (!isTerminalSafe(e.message) || e.message.length > MAX_MESSAGE_CHARS + fileName.length) {
    return { verdict: "unsafe-output", detail: JSON.stringify(e.message.slice(0, 200)) };
  }
  return { verdict: "rejected-located", detail: e.message };
}

function crash(e: unknown): FuzzOutcome {
  const detail = e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)} ${e.stack?.split("\n")[1]?.trim() ?? ""}` : String(e);
  return { verdict: "crash", detail };
}
