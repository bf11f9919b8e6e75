// How deeply a litmus test may nest parentheses, blocks, `if`s, operators
// and calls. The parser, the compiler and the generated thread code all
// recurse once per level, so without a bound a hostile test (a few
// thousand `(`) exhausts the stack — and where depends on the stack size,
// so a worker thread (bigger stack) would accept what the main thread
// crashes on. The bound makes the answer the same everywhere: a test
// deeper than this is rejected with `FILE:LINE:COL: nesting too deep`.
// The kernel's tests nest fewer than 10 levels; a level costs under 10
// stack frames in the deepest of the three passes, and Node's default
// stack holds about 10,000, so 256 leaves room on both sides. Chains of
// one operator (`a + b + c ...`, `x /\ y /\ z ...`) are loops, not
// nesting: their length is not limited.

export const MAX_NESTING = 256;
