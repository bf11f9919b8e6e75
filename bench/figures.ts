// How the benchmarks summarise runs and lay out their columns.

/** The middle value of the runs (the upper middle for an even count). */
export const median = (xs: readonly number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A right-aligned column cell. */
export const pad = (s: string | number, n: number): string => String(s).padStart(n);
