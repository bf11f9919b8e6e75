// Folds the iterations of a loop in a drawn trace. A thread that polls
// without t.await, until it hits the event bound, draws the same lines
// thousands of times; what a reader needs is one iteration, how often it
// repeated, and where it stopped being the same.
//
// An iteration is a block of consecutive lines of one thread, no other
// thread cutting in; it repeats when the next lines are the same text
// (which holds the step labels, operations, locations, values and the
// writes read from). The first iteration is drawn, then one line
// `… the same N more times`; an iteration that differs (the last one,
// cut short by the bound or leaving the loop) is not part of the run and
// is drawn as it is.

import { groupDigits } from "./groupDigits.ts";

export interface DrawnLine {
  readonly tid: number;
  readonly text: string;
}

/** The longest loop body, in lines, looked for: longer ones are rare and cost a search per line. */
const MAX_PERIOD = 32;
/** Two iterations still read well unfolded. */
const MIN_REPEATS = 3;

const count = groupDigits;

export function foldRepeats<C extends DrawnLine>(lines: readonly C[], foldLine: (tid: number, text: string) => C): C[] {
  const out: C[] = [];
  let i = 0;
  while (i < lines.length) {
    const best = longestRepeat(lines, i);
    if (best === undefined) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    const { period, repeats } = best;
    out.push(...lines.slice(i, i + period));
    const more = repeats - 1;
    const what = period === 1 ? "" : ` ${period} lines`;
    out.push(foldLine(lines[i]!.tid, `… the same${what} ${count(more)} more time${more === 1 ? "" : "s"}`));
    i += period * repeats;
  }
  return out;
}

/** The repetition starting at `start` that hides the most lines (the shortest body on a tie), if any is worth folding. */
function longestRepeat(lines: readonly DrawnLine[], start: number): { period: number; repeats: number } | undefined {
  const tid = lines[start]!.tid;
  let best: { period: number; repeats: number; hidden: number } | undefined;
  for (let period = 1; period <= MAX_PERIOD && start + period * MIN_REPEATS <= lines.length; period++) {
    if (lines[start + period - 1]!.tid !== tid) break; // another thread cut in: no longer one thread's loop
    let repeats = 1;
    while (sameBlock(lines, start, start + period * repeats, period)) repeats++;
    if (repeats < MIN_REPEATS) continue;
    // The first iteration and the fold line stay.
    const hidden = period * (repeats - 1) - 1;
    if (best === undefined || hidden > best.hidden) best = { period, repeats, hidden };
  }
  return best;
}

function sameBlock(lines: readonly DrawnLine[], a: number, b: number, period: number): boolean {
  if (b + period > lines.length) return false;
  for (let k = 0; k < period; k++) {
    const x = lines[a + k]!;
    const y = lines[b + k]!;
    if (x.tid !== y.tid || x.text !== y.text) return false;
  }
  return true;
}
