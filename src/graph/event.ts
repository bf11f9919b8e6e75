// The events of an execution graph. An event is identified by its thread
// and its position in that thread (program order); the initial write of a
// location belongs to no thread (tid -1, idx = location id).

import type { Value } from "../program/value.ts";
import type { AccessMode, FenceKind, Operation, Tag } from "../program/operation.ts";

/** (tid + 1) * 2^16 + idx: fits a plain number and sorts by thread then position. */
export type EventId = number;

export const MAX_EVENTS_PER_THREAD = 0xffff;

export function eventId(tid: number, idx: number): EventId {
  return (tid + 1) * 0x10000 + idx;
}

export function tidOf(id: EventId): number {
  return Math.floor(id / 0x10000) - 1;
}

export function idxOf(id: EventId): number {
  return id % 0x10000;
}

export type EventKind = "R" | "W" | "F";

/** Which half of a successful read-modify-write an access is. */
export type RmwPart = "none" | "read" | "write";

export interface GraphEvent {
  readonly kind: EventKind;
  readonly tid: number;
  readonly idx: number;
  readonly id: EventId;
  /** When the explorer added it; a backward revisit moves the revisited read to the end. */
  stamp: number;
  /** Location id; -1 for fences. */
  readonly loc: number;
  /** Written value (W), or the value read (R, copied from its rf source). */
  value: Value;
  mode: AccessMode;
  rmw: RmwPart;
  /** Reads: the write read from. */
  rf: EventId;
  /** The read takes the coherence-latest write / the write went coherence-last, when last set (TruSt's maximality). */
  addedMax: boolean;
  /** False once the event is in the prefix of a write that revisited a read (under load buffering, its dependency prefix): later revisits may not undo it. */
  revisitable: boolean;
  readonly fence?: FenceKind;
  /** The operation that produced it (RMW reads keep it to compute their write). */
  readonly op?: Operation;
  /** Thread-local number of the operation, as used by dependencies. */
  readonly opIndex: number;
  /** The kernel-level step label in force when it was issued. */
  readonly step?: string;
  readonly tags?: readonly Tag[];
}

/**
 * A hole: a position of a thread whose event a backward revisit deleted
 * while keeping events after it (under models with load buffering, a write
 * keeps only what it depends on). The thread's next event fills the first
 * hole; a hole looks like a fence of no kind to the relations, so it orders
 * nothing. Real events have an operation number of 0 or more.
 */
export function holeAt(tid: number, idx: number): GraphEvent {
  return {
    kind: "F",
    tid,
    idx,
    id: eventId(tid, idx),
    stamp: Number.MAX_SAFE_INTEGER,
    loc: -1,
    value: 0,
    mode: "plain",
    rmw: "none",
    rf: -1,
    addedMax: true,
    revisitable: true,
    fence: undefined,
    op: undefined,
    opIndex: -1,
    step: undefined,
    tags: undefined,
  };
}

export function isHole(e: GraphEvent): boolean {
  return e.opIndex < 0 && e.tid >= 0;
}

/** An await read whose value does not satisfy its condition: its thread waits. */
export function isWaiting(e: GraphEvent): boolean {
  if (e.kind !== "R" || e.rmw === "read") return false;
  const until = e.op !== undefined && e.op.kind !== "fence" && e.op.kind !== "write" ? e.op.until : undefined;
  return until !== undefined && !until(e.value);
}

/** How a thread's run ended, once it did. */
export type ThreadEnd =
  | { readonly kind: "done"; readonly result: Readonly<Record<string, Value>> | undefined }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "bound"; readonly limit: number };
