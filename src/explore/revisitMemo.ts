// The graphs that backward revisits have made under load buffering, so
// that a revisit making one of them again is not explored again. There,
// revisits may keep events that depend on nothing the revisit changed
// (dependencyPrefix.ts), and two different sequences of revisits can then
// cut the same graph: on xchg-based locks most of the graphs revisits made
// had been made before, and each was explored again in full.
//
// Below a graph, the explorer does the same whatever path led there. What
// it does is decided by the graph's events (each one's operation, what
// each read reads, each value, whether each was added maximally, whether
// an earlier revisit froze it, and the order they were added in, which
// revisits compare), the coherence orders and the holes. A graph that
// agrees with one made before in all of these has nothing new below it.
//
// Two kinds of graph are not remembered:
// - An operation's await condition or update is a closure, which no key
//   can hold. Where the model names every dependency (the litmus front
//   end), an operation is fixed by its thread's code and the values of the
//   reads it names, and the key holds those. Elsewhere a kept event may
//   carry a closure made when an earlier read of its thread read another
//   value, so a graph holding such an operation is explored every time.
// - A graph with a lock acquisition waiting to be issued again
//   (lockReissue.ts, which load buffering does not use).
//
// Keys are exact (keyUnits.ts). Past UNITS they are all forgotten, and the
// graphs made after that are remembered afresh.

import type { ExecutionGraph } from "../graph/executionGraph.ts";
import { isHole, type GraphEvent } from "../graph/event.ts";
import { KeyUnits } from "../graph/keyUnits.ts";
import type { Operation } from "../program/operation.ts";

/** The room the keys may take, in 16-bit units (64 MiB). */
const UNITS = 1 << 25;

/** A hole's one unit; every event's first unit is below it. */
const HOLE = 0xffff;

export class RevisitMemo {
  private readonly keys = new Set<string>();
  private unitsTaken = 0;
  private readonly units = new KeyUnits();
  /** Each event's description (kind, location, modes, operation), numbered. */
  private readonly shapeNumbers = new Map<string, number>();
  /** Each operation's description, by object: copies of a graph share their events' operations. */
  private readonly opShapes = new WeakMap<Operation, string>();
  /** `dependenciesNamed`: the model's operations name every read they depend on (Model.dependenciesNamed). */
  constructor(private readonly dependenciesNamed: boolean) {}

  /** Whether a revisit made g before; if not, g is remembered. */
  madeBefore(g: ExecutionGraph): boolean {
    const key = this.key(g);
    if (key === undefined) return false;
    if (this.keys.has(key)) return true;
    if (this.unitsTaken + key.length > UNITS) {
      this.keys.clear();
      this.unitsTaken = 0;
    }
    this.keys.add(key);
    this.unitsTaken += key.length;
    return false;
  }

  /** g's key, or undefined when g is not to be remembered. */
  key(g: ExecutionGraph): string | undefined {
    if (g.reissues?.some((x) => x !== undefined)) return undefined;
    const ranks = stampRanks(g);
    const u = this.units;
    u.clear();
    for (const thread of g.threads) {
      // At most 1 unit of flags, 2 of shape, 2 of rank, 2 of source and 5 of value per event.
      u.need(2 + 12 * thread.length);
      u.put32(thread.length);
      for (const e of thread) {
        if (isHole(e)) {
          u.put(HOLE);
          continue;
        }
        const shape = this.shapeNumber(e);
        if (shape === undefined) return undefined;
        u.put((e.addedMax ? 1 : 0) | (e.revisitable ? 2 : 0));
        u.put32(shape);
        u.put32(ranks.get(e.stamp)!);
        if (e.kind === "R") u.putEvent(e.rf);
        u.putValue(e.value);
      }
    }
    u.putLists(g.co);
    return u.text();
  }

  /** The number of what e is, apart from what it reads and its value; undefined for an operation no key can hold. */
  private shapeNumber(e: GraphEvent): number | undefined {
    const op = e.op === undefined ? "" : this.opShape(e.op);
    if (op === undefined) return undefined;
    const text = `${e.kind} ${e.loc} ${e.rmw} ${e.mode} ${e.fence ?? ""} ${e.opIndex} ${e.tags?.join(",") ?? ""} ${op}`;
    let n = this.shapeNumbers.get(text);
    if (n === undefined) {
      n = this.shapeNumbers.size;
      this.shapeNumbers.set(text, n);
    }
    return n;
  }

  private opShape(op: Operation): string | undefined {
    let text = this.opShapes.get(op);
    if (text !== undefined) return text;
    const closures = op.kind === "rmw" || (op.kind === "read" && op.until !== undefined);
    if (closures && !this.dependenciesNamed) return undefined;
    const deps = op.deps;
    const waits = op.kind !== "write" && op.kind !== "fence" && op.until !== undefined;
    text =
      `${op.kind} ${op.loc?.id ?? ""} ${op.kind === "fence" ? op.fence : op.mode} ${op.kind === "rmw" ? (op.failMode ?? "") : ""} ${waits ? "until" : ""} ` +
      `${op.name ?? ""} ${op.tags?.join(",") ?? ""} ${deps?.addr?.join(",") ?? "-"}/${deps?.data?.join(",") ?? "-"}/${deps?.ctrl?.join(",") ?? "-"}`;
    this.opShapes.set(op, text);
    return text;
  }
}

/** Each event's place in the order the events were added: what revisits compare of their stamps. */
function stampRanks(g: ExecutionGraph): Map<number, number> {
  const stamps: number[] = [];
  for (const thread of g.threads) for (const e of thread) if (!isHole(e)) stamps.push(e.stamp);
  stamps.sort((a, b) => a - b);
  const ranks = new Map<number, number>();
  stamps.forEach((s, i) => ranks.set(s, i));
  return ranks;
}
