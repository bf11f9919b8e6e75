// Under models with load buffering a backward revisit may keep a thread's
// later events while deleting, or changing the value of, earlier ones (what
// the later events do not depend on). Re-run, the thread must issue the
// kept events again exactly; when it does not — it branched on a value the
// model's dependencies did not name — the graph is not an execution of the
// program and is dropped. The executions it stood for are reached on the
// paths where the thread's earlier reads took those values in the first place.

export class InfeasibleGraph extends Error {
  constructor(readonly tid: number) {
    super(`thread #${tid} does not issue the events kept after a revisit`);
  }
}
