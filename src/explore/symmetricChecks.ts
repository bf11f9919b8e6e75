// A model's final checks judged on a class of executions rather than on its
// representative alone (threadSymmetry.ts). Every graph of a class has the
// same final memory (identical threads write the same values to the same
// locations); only the results of identical threads move with an exchange.
// So a check that never reads an identical thread's result holds on the
// whole class as on the representative, and one that does is evaluated
// once per exchange of the identical threads' names: a `forall` check
// fails if it fails for one of them (that graph of the class violates it),
// an `exists` check holds if it holds for one of them.

import type { FinalCheck, FinalState, Model } from "../program/model.ts";
import { ModelError } from "../runtime/modelError.ts";

/** Beyond this many exchanges a check that reads identical threads' results is refused rather than judged for hours. */
const MAX_EXCHANGES = 40320;

export function withSymmetricChecks(model: Model, classes: readonly (readonly string[])[]): Model {
  if (model.checks.length === 0) return model;
  const identical = new Set(classes.flat());
  const exchanges = () => allExchanges(model.name, classes);
  let cached: Map<string, string>[] | undefined;
  const checks: FinalCheck[] = model.checks.map((check) => ({
    ...check,
    holds: (s: FinalState) => {
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
        if (holds === wanted) return holds;
      }
      return !wanted;
    },
  }));
  return { ...model, checks };
}

/** Every renaming of the identical threads that maps each class onto itself (the identity included). */
function allExchanges(modelName: string, classes: readonly (readonly string[])[]): Map<string, string>[] {
  const count = classes.reduce((n, c) => n * factorial(c.length), 1);
  if (count > MAX_EXCHANGES)
    throw new ModelError(
      `model ${modelName}: a check reads the results of identical threads, which would be judged for ${count} exchanges of them; ` +
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
  return out;
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
