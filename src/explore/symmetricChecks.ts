// A model's final checks judged on a class of executions rather than on its
// representative alone (threadSymmetry.ts). Every graph of a class has the
// same final memory (identical threads write the same values to the same
// locations); only the results of identical threads move with an exchange.
// So a check that never reads an identical thread's result holds on the
// whole class as on the representative, and one that does is evaluated
// once per exchange of the identical threads' names: a `forall` check
// fails if it fails for one of them (that graph of the class violates it),
// an `exists` check holds if it holds for one of them.
//
// A `forall` check that holds on the representative but fails for an
// exchange says which one (failureDetail): the execution drawn is the
// representative, on which the check, read literally, holds. Exchanges that
// move fewer threads are tried first, so the one named is a plain exchange
// of two threads whenever one suffices.

import type { FinalCheck, FinalState, Model } from "../program/model.ts";
import { ModelError } from "../runtime/modelError.ts";

/** Beyond this many exchanges a check that reads identical threads' results is refused rather than judged for hours. */
const MAX_EXCHANGES = 40320;

export function withSymmetricChecks(model: Model, classes: readonly (readonly string[])[]): Model {
  if (model.checks.length === 0) return model;
  const identical = new Set(classes.flat());
  const exchanges = () => allExchanges(classes);
  let cached: Map<string, string>[] | undefined;
  const checks: FinalCheck[] = model.checks.map((check) => {
    // The exchange a forall check failed for, per final state judged: the message of its violation names it.
    const failedFor = new WeakMap<FinalState, Map<string, string>>();
    const holds = (s: FinalState) => {
      let readsIdentical = false;
      const first = check.holds({
        ...s,
        result: (thread) => {
          if (identical.has(thread)) readsIdentical = true;
          return s.result(thread);
        },
      });
      if (!readsIdentical) return first;
      const wanted = check.kind === "forall" ? false : true;
      if (first === wanted) return first;
      cached ??= exchanges();
      for (const renaming of cached) {
        const holds = check.holds({ ...s, result: (thread) => s.result(renaming.get(thread) ?? thread) });
        if (holds === wanted) {
          if (check.kind === "forall") failedFor.set(s, renaming);
          return holds;
        }
      }
      return !wanted;
    };
    const failureDetail = (s: FinalState) => {
      const renaming = failedFor.get(s);
      return renaming === undefined ? undefined : describeExchange(renaming);
    };
    return { ...check, holds, failureDetail };
  });
  return { ...model, checks };
}

/**
 * The graph of the class a renaming judges, against the one drawn: the
 * thread named x there did what the drawn thread renaming(x) did.
 */
export function describeExchange(renaming: ReadonlyMap<string, string>): string {
  const moved = [...renaming].filter(([name, drawn]) => name !== drawn);
  if (moved.length === 2) return `with ${moved[0]![0]} and ${moved[1]![0]} exchanged in the execution drawn`;
  return `with the execution drawn's ${moved.map(([, drawn]) => drawn).join(", ")} renamed ${moved.map(([name]) => name).join(", ")}`;
}

/** Every renaming of the identical threads that maps each class onto itself (the identity included), those that move fewer threads first. */
function allExchanges(classes: readonly (readonly string[])[]): Map<string, string>[] {
  const count = classes.reduce((n, c) => n * factorial(c.length), 1);
  if (count > MAX_EXCHANGES)
    throw new ModelError(
      `a check reads the results of identical threads, which would be judged for ${count} exchanges of them; ` +
        `run without symmetry reduction, or declare fewer threads identical`,
    );
  let out: Map<string, string>[] = [new Map()];
  for (const members of classes) {
    const next: Map<string, string>[] = [];
    for (const order of permutations(members))
      for (const m of out) {
        const renamed = new Map(m);
        members.forEach((name, i) => renamed.set(name, order[i]!));
        next.push(renamed);
      }
    out = next;
  }
  const movedBy = (r: ReadonlyMap<string, string>) => [...r].filter(([name, drawn]) => name !== drawn).length;
  return out.map((r) => ({ r, moved: movedBy(r) })).sort((a, b) => a.moved - b.moved).map(({ r }) => r);
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  const out: T[][] = [];
  items.forEach((x, i) => {
    for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}
