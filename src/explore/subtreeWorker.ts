// A worker thread's side of parallel exploration (parallelExplore.ts): it
// explores the subtrees it is handed, one at a time, and answers the
// coordinator's requests (donate, snapshot, yield, abandon) from inside the
// exploration, where the shared control word is polled at every choice.

import type { MessagePort } from "node:worker_threads";
import type { Model } from "../program/model.ts";
import type { RunningSite } from "../runtime/threadReplayer.ts";
import { isModelError } from "../runtime/modelError.ts";
import { ThreadFailure } from "../runtime/threadFailure.ts";
import { exploreSubtree, type SubtreeOutcome, type SubtreeRunOptions } from "./subtreeRun.ts";
import type { Subtree } from "./subtree.ts";
import type { Tally } from "./explorationTally.ts";

/** Coordinator to worker. `source` says where the model comes from, in the terms of whoever loads it. */
export type ToWorker =
  | { readonly type: "unit"; readonly id: number; readonly source: unknown; readonly options: SubtreeRunOptions; readonly subtrees: readonly Subtree[] }
  | { readonly type: "close" };

/** Worker to coordinator, in the order things happened in the unit. */
export type FromWorker =
  | { readonly type: "donation"; readonly id: number; readonly subtree: Subtree | null; readonly left: readonly Subtree[]; readonly tally: Tally | null }
  | { readonly type: "snapshot"; readonly id: number; readonly left: readonly Subtree[]; readonly tally: Tally }
  | { readonly type: "done"; readonly id: number; readonly outcome: SubtreeOutcome }
  | { readonly type: "failure"; readonly id: number; readonly message: string; readonly path: readonly number[] | null; readonly modelError: boolean };

/** `exploring`: told when the thread starts and ends a unit (its watchdog takes a beat that stops then for a stuck thread). */
export function serveSubtrees(
  port: MessagePort,
  control: Int32Array,
  loadModel: (source: unknown) => Promise<Model>,
  site?: RunningSite,
  exploring?: (on: boolean) => void,
): void {
  const models = new Map<string, Promise<Model>>();
  const post = (m: FromWorker) => port.postMessage(m);
  port.on("message", (m: ToWorker) => {
    if (m.type === "close") {
      port.close();
      return;
    }
    const key = JSON.stringify(m.source);
    if (!models.has(key)) models.set(key, loadModel(m.source));
    void models
      .get(key)!
      .then((model) => {
        exploring?.(true);
        const outcome = exploreSubtree(
          model,
          m.subtrees,
          m.options,
          control,
          {
            onDonate: (subtree, left, tally) => post({ type: "donation", id: m.id, subtree, left, tally }),
            onSnapshot: (left, tally) => post({ type: "snapshot", id: m.id, left, tally }),
          },
          site,
        );
        exploring?.(false);
        post({ type: "done", id: m.id, outcome });
      })
      .catch((e: unknown) => {
        exploring?.(false);
        const path = e instanceof ThreadFailure && e.path !== undefined ? [...e.path] : null;
        post({ type: "failure", id: m.id, message: e instanceof Error ? e.message : String(e), path, modelError: isModelError(e) });
      });
  });
}
