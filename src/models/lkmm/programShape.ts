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
import type { Dependencies, Operation } from "../../program/operation.ts";

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

const shapes = new Map<string, Shape>();

/**
 * The room the shapes' relations may take, in 32-bit words: each shape is
 * charged for as many relations as the model keeps per shape (some fifty,
 * counted as 64) of its graph's size. Past it the cache starts again; a
 * litmus test meets a few thousand shapes of a few dozen events, well
 * within it.
 */
const WORDS_FOR_SHAPES = 1 << 24;
let wordsCharged = 0;

/** What is kept for every graph of g's shape. */
export function shapeOf(g: ExecutionGraph): Shape {
  const key = shapeKey(g);
  let shape = shapes.get(key);
  if (shape === undefined) {
    let n = g.inits.length;
    for (const thread of g.threads) n += thread.length;
    const words = 64 * n * ((n + 31) >>> 5);
    if (wordsCharged + words > WORDS_FOR_SHAPES) forgetShapes();
    wordsCharged += words;
    shape = { relations: new Map(), verdicts: new Map() };
    shapes.set(key, shape);
  }
  return shape;
}

/** Forgets the verdicts on every shape's graphs, keeping the shapes (verdictMemo.ts, when it holds too many). */
export function forgetVerdicts(): void {
  for (const shape of shapes.values()) shape.verdicts.clear();
}

/** Forgets every shape (tests use it to start from an empty cache). */
export function forgetShapes(): void {
  shapes.clear();
  wordsCharged = 0;
  numberedAt = [];
  threadsNumbered = 0;
  generation++;
}

/**
 * g's shape as a string: equal strings, equal shapes. The initial writes
 * and each thread are numbered by their events (below); the key lists the
 * numbers.
 */
export function shapeKey(g: ExecutionGraph): string {
  let key = `${threadNumber(g.inits, 0)}|`;
  for (let t = 0; t < g.threads.length; t++) key += `${threadNumber(g.threads[t]!, t + 1)},`;
  return key;
}

// --- Numbering threads by their events ------------------------------------------
//
// Two event lists at one place (the initial writes, or thread t) get one
// number when their events are alike in every ProgramEvent attribute, and
// different numbers otherwise. A run meets few such lists (a few dozen for
// a litmus test), so each place keeps every list it has numbered, by
// length, and a new one is compared with those, last event first (where
// lists of one length differ most often), attribute by attribute: the
// thread code makes new operation objects each time it runs, so they are
// compared by what they hold. The explorer changes a graph's threads in
// place, an event at a time, and asks about the graph after each change:
// each thread array also remembers what it held when last numbered, and
// when it holds the same objects, with the same mode and RMW outcome (what
// the explorer may change on them), its number is the same.

/** An event list that was numbered: its events then, with the mode and RMW outcome they had. */
interface NumberedThread {
  readonly events: ProgramEvent[];
  readonly modes: ProgramEvent["mode"][];
  readonly rmws: ProgramEvent["rmw"][];
  readonly number: number;
  /** Numbers are valid until the shapes are forgotten. */
  readonly generation: number;
}

const numberedThreads = new WeakMap<readonly ProgramEvent[], NumberedThread>();
/** Per place (0 for the initial writes, t + 1 for thread t), per length, every list numbered there. */
let numberedAt: Map<number, NumberedThread[]>[] = [];
let threadsNumbered = 0;
let generation = 0;

function threadNumber(events: readonly ProgramEvent[], place: number): number {
  const known = numberedThreads.get(events);
  if (known !== undefined && known.generation === generation && sameEvents(known, events)) return known.number;
  const byLength = (numberedAt[place] ??= new Map());
  let sameLength = byLength.get(events.length);
  if (sameLength === undefined) byLength.set(events.length, (sameLength = []));
  let numbered = sameLength.find((candidate) => sameEvents(candidate, events));
  if (numbered === undefined) {
    numbered = {
      events: events.slice(),
      modes: events.map((e) => e.mode),
      rmws: events.map((e) => e.rmw),
      number: threadsNumbered++,
      generation,
    };
    sameLength.push(numbered);
  }
  numberedThreads.set(events, numbered);
  return numbered.number;
}

/** Whether `events` are alike, in every ProgramEvent attribute, to the events `known` was numbered with. */
function sameEvents(known: NumberedThread, events: readonly ProgramEvent[]): boolean {
  if (known.events.length !== events.length) return false;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const k = known.events[i]!;
    if (known.modes[i] !== e.mode || known.rmws[i] !== e.rmw) return false;
    if (k === e) continue;
    if (k.id !== e.id || k.kind !== e.kind || k.loc !== e.loc || k.fence !== e.fence || k.opIndex !== e.opIndex) return false;
    if (!sameOperation(k.op, e.op) || !sameNumbers(k.tags, e.tags)) return false;
  }
  return true;
}

function sameOperation(a: ProgramEvent["op"], b: ProgramEvent["op"]): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.kind !== b.kind) return false;
  const [p, q] = [a.deps, b.deps];
  if (p === q) return true;
  return p !== undefined && q !== undefined && sameNumbers(p.addr, q.addr) && sameNumbers(p.data, q.data) && sameNumbers(p.ctrl, q.ctrl);
}

/** Equal lists (of dependencies' operation numbers, or of tags), or both absent. */
function sameNumbers<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
