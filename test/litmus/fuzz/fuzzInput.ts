// Input number `index` of a fuzz run with `seed`: a corpus test or a
// grammar-generated one (half each, or all grammar without a corpus),
// then one to three mutations — or none, one time in ten, so valid tests
// reach exploration too.

import { grammarLitmus } from "./litmusGrammar.ts";
import { mutate, pickMutation, type MutationKind } from "./litmusMutations.ts";
import { inputSeed, randomChoice } from "./randomChoice.ts";

export interface FuzzInput {
  readonly index: number;
  readonly origin: "corpus" | "grammar";
  readonly mutations: readonly MutationKind[];
  readonly text: string;
}

export function fuzzInput(seed: number, index: number, corpus: readonly string[]): FuzzInput {
  const r = randomChoice(inputSeed(seed, index));
  const fromCorpus = corpus.length > 0 && r.chance(0.5);
  const base = fromCorpus ? r.pick(corpus) : grammarLitmus(r);
  const donor = corpus.length > 0 ? r.pick(corpus) : grammarLitmus(r);
  const mutations: MutationKind[] = [];
  let text = base;
  if (!r.chance(0.1)) {
    for (let k = 1 + r.int(3); k > 0; k--) {
      const kind = pickMutation(r);
      mutations.push(kind);
      text = mutate(text, kind, r, donor);
    }
  }
  return { index, origin: fromCorpus ? "corpus" : "grammar", mutations, text };
}
