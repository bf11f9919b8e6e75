// Which locations a thread may still write, and read, from a given point of
// its run on: every continuation is run with each read taking any value its
// location can hold. The values a location can hold are found as for
// candidate enumeration (valueDomains.ts), cheaply: each thread is run with
// its reads taking the values known so far, and the values written join in,
// until nothing new appears. Both searches are bounded; past the bound, or
// where the values do not settle in a few rounds, or thread code fails on a
// value no execution gives it, the answer is "not known". Each answer
// depends only on the thread's events so far, not on what was asked before,
// so that a run split into parts prunes as the whole run does.
//
// The runs are made by a replayer of their own, so that the explorer's
// cached thread runs are left as they are.

import type { Model } from "../program/model.ts";
import type { Value } from "../program/value.ts";
import type { GraphEvent } from "../graph/event.ts";
import { ExecutionGraph } from "../graph/executionGraph.ts";
import { ThreadReplayer } from "../runtime/threadReplayer.ts";
import { newEvent, setReadValue } from "./eventFactory.ts";
import { isLockAcquisitionRead, isLockWrite } from "./lockWords.ts";

/**
 * How much a search may do before it gives up: each step counts the events
 * the thread is run over again to take it (a replayed run starts afresh
 * when the search backs up).
 */
const DOMAIN_BUDGET = 50_000;
/**
 * The budget of a search made only to tell a lock word (valuesOf): it is
 * made in many runs where a full search would run out of its budget, and
 * the domains it finds take a few thousand steps at most.
 */
export const QUICK_DOMAIN_BUDGET = 5_000;
const QUERY_BUDGET = 10_000;
const DOMAIN_ROUNDS = 6;
/** Answers kept; past this the cache starts afresh. */
const CACHE_LIMIT = 50_000;

/** The locations a thread may still write, and those it may still read. */
export interface Accesses {
  readonly writes: ReadonlySet<number>;
  readonly reads: ReadonlySet<number>;
  /** Those it may write other than by a lock acquisition or its holder's release (lockWords.ts). */
  readonly nonLockWrites: ReadonlySet<number>;
}

/** Value domains found, with the steps their search took. */
interface FoundDomains {
  readonly domains: Set<Value>[];
  readonly steps: number;
}

/**
 * Per model (and memory model and event bound), the value domains once
 * found, or the largest budget a search for them ran out of: a model
 * explored again (a benchmark's runs, a split run's parts) does not search
 * them again, nor pays again for a search that failed.
 */
const domainsFound = new WeakMap<Model, Map<string, FoundDomains | number>>();

export class FutureAccesses {
  private readonly replayer: ThreadReplayer;
  private readonly answers = new Map<string, Accesses | null>();

  /** What the value domains depend on besides the model: its runs are made under this memory model and event bound. */
  private readonly runsUnder: string;

  constructor(
    private readonly model: Model,
    maxEvents: number,
    memoryModel: string,
  ) {
    this.replayer = new ThreadReplayer(model, maxEvents, undefined, memoryModel);
    this.runsUnder = `${memoryModel} ${maxEvents}`;
  }

  /**
   * The locations thread `tid` may access after its first `k` events in g
   * (their values as g has them), or undefined when that is not known.
   */
  after(g: ExecutionGraph, tid: number, k: number): Accesses | undefined {
    const events = g.threads[tid]!;
    let key = `${tid}:${k}`;
    for (let i = 0; i < k; i++) key += `,${String(events[i]!.value)}`;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = this.search(events, tid, k);
      if (this.answers.size >= CACHE_LIMIT) this.answers.clear();
      this.answers.set(key, answer);
    }
    return answer ?? undefined;
  }

  private search(events: readonly GraphEvent[], tid: number, k: number): Accesses | null {
    const domains = this.valueDomains();
    if (domains === null) return null;
    const g = ExecutionGraph.initial(this.model.initial, this.model.threads.length);
    const thread = g.threads[tid]!;
    for (let i = 0; i < k; i++) thread.push({ ...events[i]! });
    const writes = new Set<number>();
    const reads = new Set<number>();
    const nonLockWrites = new Set<number>();
    const unlocked = this.model.initial;
    const complete = this.runs(g, tid, domains, { left: QUERY_BUDGET }, (e) => {
      if (e.kind === "W") {
        writes.add(e.loc);
        if (!isLockWrite(thread, e.idx, unlocked[e.loc]!)) nonLockWrites.add(e.loc);
      } else {
        reads.add(e.loc);
        if (!isLockAcquisitionRead(e, unlocked[e.loc]!)) nonLockWrites.add(e.loc);
      }
    });
    return complete ? { writes, reads, nonLockWrites } : null;
  }

  /** The values location `loc` can hold, when a search within `budget` finds them. */
  valuesOf(loc: number, budget = DOMAIN_BUDGET): ReadonlySet<Value> | undefined {
    return this.valueDomains(budget)?.[loc];
  }

  /**
   * Per location, the values it can hold, when a search within `budget`
   * finds them. The answer depends on the budget alone, not on the
   * searches made before it (kept in domainsFound): a run, its replay and
   * a split run's parts get the same answers, hence the same tree.
   */
  private valueDomains(budget = DOMAIN_BUDGET): Set<Value>[] | null {
    let known = domainsFound.get(this.model);
    if (known === undefined) domainsFound.set(this.model, (known = new Map()));
    const prior = known.get(this.runsUnder);
    if (typeof prior === "object") return prior.steps <= budget ? prior.domains : null;
    if (prior !== undefined && prior >= budget) return null;
    const found = this.searchDomains(budget);
    known.set(this.runsUnder, found ?? budget);
    return found?.domains ?? null;
  }

  private searchDomains(steps: number): FoundDomains | null {
    const domains: Set<Value>[] = this.model.initial.map((v) => new Set([v]));
    const budget = { left: steps };
    for (let round = 0; round < DOMAIN_ROUNDS; round++) {
      // New values join only after the round, so a round is finite.
      const found: [number, Value][] = [];
      for (let tid = 0; tid < this.model.threads.length; tid++) {
        const g = ExecutionGraph.initial(this.model.initial, this.model.threads.length);
        const complete = this.runs(g, tid, domains, budget, (e) => {
          if (e.kind === "W" && !domains[e.loc]!.has(e.value)) found.push([e.loc, e.value]);
        });
        if (!complete) return null;
      }
      if (found.length === 0) return { domains, steps: steps - budget.left };
      for (const [loc, v] of found) domains[loc]!.add(v);
    }
    return null;
  }

  /**
   * Every continuation of thread `tid` from its events in g, each read
   * taking each value of its location's domain; `accessed` is told of each
   * write, and of each read with each value. False when the budget ran out
   * or thread code failed.
   */
  private runs(g: ExecutionGraph, tid: number, domains: readonly Set<Value>[], budget: { left: number }, accessed: (e: GraphEvent) => void): boolean {
    const events = g.threads[tid]!;
    const extend = (): boolean => {
      budget.left -= events.length + 1;
      if (budget.left < 0) return false;
      const p = this.replayer.pending(g, tid);
      if (p.kind === "end" || p.kind === "waiting") return true;
      const e = newEvent(g, tid, p);
      events.push(e);
      let complete = true;
      if (e.kind === "W") accessed(e);
      if (e.kind === "R") {
        for (const v of domains[e.loc]!) {
          setReadValue(e, v);
          accessed(e);
          if (!extend()) {
            complete = false;
            break;
          }
        }
      } else {
        complete = extend();
      }
      events.pop();
      return complete;
    };
    try {
      return extend();
    } catch {
      // Thread code given values no execution gives it may fail in any way: then nothing is known.
      return false;
    }
  }
}
