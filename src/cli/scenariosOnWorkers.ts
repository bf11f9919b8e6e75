// `scenarios --workers N`: each catalogue variant explored as `check
// --workers` explores a run (parallelExplore.ts): in the command's thread
// first, handed to the worker threads once it has counted enough
// explorations to be worth splitting, so that the many small variants are
// exactly their single runs and the large ones use every core. The threads
// build each variant from the built-in catalogue by its scenario id and
// variant name. Errors become the variant's error row, as runVariant makes
// them.

import { DEFAULT_KEEP_VIOLATIONS, type ExplorationResult } from "../explore/explore.ts";
import type { SubtreePool } from "../explore/parallelExplore.ts";
import type { Model } from "../program/model.ts";
import { exploredRun, failedRun, variantLabel, type RunOptions, type ScenarioRun, type SelectedVariant } from "../catalogue/runScenarios.ts";
import type { ModelSource } from "./modelSource.ts";
import { AUTO_SPLIT_AFTER } from "./scaleOptions.ts";

/** `splitAfter`: explorations counted in the command's thread before the variant goes to the workers. */
export async function runVariantOnWorkers(
  s: SelectedVariant,
  pool: SubtreePool,
  options: RunOptions & { readonly interruption?: () => string | undefined },
  splitAfter = AUTO_SPLIT_AFTER,
): Promise<ScenarioRun> {
  const { scenario, variant } = s;
  const label = variantLabel(s);
  let model: Model | undefined;
  try {
    model = { ...variant.build(), expect: undefined };
    options.onStart?.(label, model);
    let result: ExplorationResult;
    try {
      const source: ModelSource = { kind: "catalogue", scenario: scenario.id, variant: variant.name };
      result = await pool.explore(model, {
        run: { memoryModel: variant.memoryModel, stopOnViolation: !options.all, keepViolations: DEFAULT_KEEP_VIOLATIONS },
        source,
        inThreadFirst: splitAfter,
        interruption: options.interruption,
        site: options.site,
        onProgress: options.onProgress && ((p) => options.onProgress!(label, p)),
      });
    } finally {
      options.onEnd?.();
    }
    return exploredRun(s, model, result);
  } catch (error) {
    return failedRun(s, model, error);
  }
}
