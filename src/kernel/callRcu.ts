// call_rcu() (kernel/rcu/tree.c): queue a callback to run after a grace
// period, without waiting for it. The callbacks run in the RCU core's
// context (softirq or the rcuo kthreads); here that context is a thread of
// the model, declared with rcuCallbackThread: for each rcu_head it looks
// whether the head was queued, and if so waits a grace period (that began
// after the call_rcu it saw) and invokes the callback. A head it finds not
// yet queued is left for after the end of the execution, as a callback that
// has not run by then would be: the model looks at what may happen before.

import type { ModelBuilder } from "../program/model.ts";
import type { Access, ThreadContext } from "../program/threadContext.ts";
import type { Loc } from "../program/value.ts";
import { misuse } from "./kernelThread.ts";
import { synchronizeRcu } from "./rcu.ts";

export type RcuCallback = (t: ThreadContext) => Access<void>;

/** struct rcu_head with the callback its call_rcu will pass. */
export class RcuHead {
  /** 0 idle, 1 queued, 2 invoked. */
  readonly state: Loc;
  constructor(
    m: ModelBuilder,
    readonly name: string,
    readonly callback: RcuCallback,
  ) {
    this.state = m.location(`${name}.rcu_head`, 0);
    m.describe(this.state, (v) => (v === 0 ? "idle" : v === 1 ? "queued" : v === 2 ? "invoked" : undefined));
  }
}

/** call_rcu(head, func), v2.6–v6.x: queue the callback; the updater's earlier writes are ordered before it (a release store). Queuing a head twice is the kernel's double call_rcu debug report. */
export function* callRcu(t: ThreadContext, head: RcuHead): Access<void> {
  const old = yield* t.rmw(head.state, (v) => (v === 0 ? 1 : v), "release", `call_rcu(${head.name})`);
  if (old !== 0) misuse(t, `call_rcu(${head.name}) on a head already queued (double call_rcu)`);
}

/**
 * Declares the thread (named `name`) in which queued callbacks run: for
 * each head, if it is queued, a grace period, then the callback. Under SC
 * and TSO the model must also declareRcuReaders(m).
 */
export function rcuCallbackThread(m: ModelBuilder, heads: readonly RcuHead[], name = "rcu_core"): void {
  m.thread(name, function* (t) {
    for (const head of heads) {
      t.step(`rcu_do_batch(${head.name})`);
      if ((yield* t.read(head.state, "acquire")) !== 1) continue;
      yield* synchronizeRcu(t);
      t.step(`invoke ${head.name}'s callback`);
      yield* t.write(head.state, 2, "once", undefined, `${head.name}: invoked`);
      yield* head.callback(t);
    }
  });
}
