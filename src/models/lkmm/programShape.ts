// What of an execution graph the program alone decides: how many events
// each thread has and, per event, the attributes that say what it is
// (ProgramEvent). Reads-from, coherence and the values read are left out.
//
// Much of LKMM depends on nothing else: the event sets, po, the fences,
// the syntactic dependencies, the lock axioms' po-loc. The explorer asks
// about hundreds of thousands of graphs that share a few thousand shapes
// (the same thread prefixes under different rf and co), so LkmmGraph keeps
// those relations per shape, here, and computes only the rest per graph.

import type { GraphEvent } from "../../graph/event.ts";
import type { ExecutionGraph } from "../../graph/executionGraph.ts";
import type { Relation, EventSet } from "../../graph/relation.ts";
import type { Dependencies, Operation, Tag } from "../../program/operation.ts";

/**
 * An event as the program makes it: what a relation computed once per
 * shape may read. Its value, its source and the explorer's bookkeeping
 * differ between graphs of one shape; of its operation, only the kind and
 * the syntactic dependencies count.
 */
export type ProgramEvent = Omit<GraphEvent, "value" | "rf" | "stamp" | "addedMax" | "revisitable" | "step" | "op"> & {
  readonly op?: { readonly kind: Operation["kind"]; readonly deps?: Dependencies };
};

/** The relations and sets of one shape, by name. */
export type ShapeCache = Map<string, Relation | EventSet>;

/** What is kept per shape: its relations and sets, and the verdicts on its graphs (verdictMemo.ts). */
export interface Shape {
  readonly relations: ShapeCache;
  readonly verdicts: Map<string, boolean>;
}

/** Shapes kept at most; past that the cache starts again (a run meets a few thousand). */
const MAX_SHAPES = 8192;
const shapes = new Map<string, Shape>();

/** What is kept for every graph of g's shape. */
export function shapeOf(g: ExecutionGraph): Shape {
  const key = shapeKey(g);
  let shape = shapes.get(key);
  if (shape === undefined) {
    if (shapes.size >= MAX_SHAPES) forgetShapes();
    shape = { relations: new Map(), verdicts: new Map() };
    shapes.set(key, shape);
  }
  return shape;
}

/** Forgets every shape (tests use it to start from an empty cache; verdictMemo.ts when it holds too many). */
export function forgetShapes(): void {
  shapes.clear();
  threadNumbers.clear();
  generation++;
}

/**
 * g's shape as a string: equal strings, equal shapes. Each thread's events
 * (and the initial writes) are numbered by what ProgramEvent says of them;
 * the key lists the numbers.
 */
export function shapeKey(g: ExecutionGraph): string {
  let key = `${threadNumber(g.inits)}|`;
  for (const thread of g.threads) key += `${threadNumber(thread)},`;
  return key;
}

// --- Numbering threads by their events ------------------------------------------
//
// The explorer changes a graph's threads in place, an event at a time, and
// asks about the graph after each change: most threads are as they were at
// the last question. Each thread array remembers the events it held when it
// was last numbered (the objects, and the two attributes the explorer may
// change on them: an access's mode and an RMW's outcome); when they are the
// same, so is its number, and the key of its events is not built again.

/** Per thread's event list, the events it was numbered with. */
interface NumberedThread {
  readonly events: ProgramEvent[];
  readonly modes: ProgramEvent["mode"][];
  readonly rmws: ProgramEvent["rmw"][];
  readonly number: number;
  /** Numbers are valid until the shapes are forgotten. */
  readonly generation: number;
}

const numberedThreads = new WeakMap<readonly ProgramEvent[], NumberedThread>();
/** The number of each thread key met so far. */
const threadNumbers = new Map<string, number>();
let generation = 0;

function threadNumber(events: readonly ProgramEvent[]): number {
  const known = numberedThreads.get(events);
  if (known !== undefined && known.generation === generation && sameEvents(known, events)) return known.number;
  let key = "";
  for (const e of events) key += eventKey(e);
  let number = threadNumbers.get(key);
  if (number === undefined) {
    number = threadNumbers.size;
    threadNumbers.set(key, number);
  }
  numberedThreads.set(events, {
    events: events.slice(),
    modes: events.map((e) => e.mode),
    rmws: events.map((e) => e.rmw),
    number,
    generation,
  });
  return number;
}

function sameEvents(known: NumberedThread, events: readonly ProgramEvent[]): boolean {
  if (known.events.length !== events.length) return false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (known.events[i] !== e || known.modes[i] !== e.mode || known.rmws[i] !== e.rmw) return false;
  }
  return true;
}

/** Operations and tag lists are immutable: each one's part of the key is built once. */
const opKeys = new WeakMap<object, string>();
const tagKeys = new WeakMap<readonly Tag[], string>();

function opKey(op: NonNullable<ProgramEvent["op"]>): string {
  let key = opKeys.get(op);
  if (key === undefined) {
    const deps = op.deps;
    key = deps === undefined ? op.kind : `${op.kind}(${deps.addr?.join(",") ?? ""}/${deps.data?.join(",") ?? ""}/${deps.ctrl?.join(",") ?? ""})`;
    opKeys.set(op, key);
  }
  return key;
}

function tagKey(tags: readonly Tag[]): string {
  let key = tagKeys.get(tags);
  if (key === undefined) {
    key = tags.join(",");
    tagKeys.set(tags, key);
  }
  return key;
}

/** Every ProgramEvent attribute of one event (its thread and position are those of the list it is in). */
function eventKey(e: ProgramEvent): string {
  return `${e.kind}${e.loc} ${e.mode} ${e.rmw} ${e.fence ?? ""} ${e.opIndex} ${e.op === undefined ? "" : opKey(e.op)} ${e.tags === undefined ? "" : tagKey(e.tags)};`;
}
