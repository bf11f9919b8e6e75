// Deep nesting is refused at its position with the same answer on the main
// thread and in a worker (whose stack is bigger), and long operator chains,
// which are not nesting, are read, compiled, evaluated and printed at any
// length (before, 1,900 parentheses or 4,500 `+` terms overflowed the stack).

import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { compileLitmus } from "../../src/litmus/compile.ts";
import { LitmusNestingError } from "../../src/litmus/errors.ts";
import { MAX_NESTING } from "../../src/litmus/nestingLimit.ts";
import { parseLitmus } from "../../src/litmus/parser.ts";
import { runLitmus } from "../../src/litmus/run/runLitmus.ts";
import { sc } from "../../src/models/sc.ts";
import { lkmm } from "../../src/models/lkmm/index.ts";
import { nestingOutcome } from "./nestingOutcome.ts";

const test1 = (body: string, condition = "exists (0:r0=0)"): string => `C deep\n{}\nP0(int *x) {\n int r0;\n${body}\n}\n${condition}\n`;

/** Each construct that nests, as a test `n` levels deep (the statement on line 5). */
const NESTED: Record<string, (n: number) => string> = {
  parentheses: (n) => test1(`r0 = ${"(".repeat(n)}1${")".repeat(n)};`),
  blocks: (n) => test1(`${"{".repeat(n)} r0 = 1; ${"}".repeat(n)}`),
  "unary operators": (n) => test1(`r0 = ${"- ! ~ ".repeat(Math.ceil(n / 3)).slice(0, 2 * n)}1;`),
  casts: (n) => test1(`r0 = ${"(int)".repeat(n)}1;`),
  "if statements": (n) => test1(`${"if (r0 == 0) ".repeat(n)}r0 = 1;`),
  "else-if chains": (n) => test1(`if (r0) r0 = 1; ${"else if (r0 == 2) r0 = 3; ".repeat(n)}`),
  "condition parentheses": (n) => test1("r0 = 1;", `exists ${"(".repeat(n)}0:r0=1${")".repeat(n)}`),
  "condition negations": (n) => test1("r0 = 1;", `exists (${"~".repeat(n)}0:r0=1)`),
  implications: (n) => test1("r0 = 1;", `exists (${"0:r0=1 => ".repeat(n)}0:r0=1)`),
};

const outcome = nestingOutcome;

for (const [name, make] of Object.entries(NESTED)) {
  test(`${name}: ${MAX_NESTING - 2} levels run; ${MAX_NESTING + 1} and 20,000 are 'nesting too deep' at the level past the limit`, () => {
    assert.match(outcome(make(MAX_NESTING - 2)), /^ran: /);
    for (const n of [MAX_NESTING + 1, 20_000]) {
      let error: unknown;
      try {
        compileLitmus(parseLitmus(make(n), "deep.litmus"));
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof LitmusNestingError, `${n} levels: ${String(error)}`);
      assert.match(error.message, /^deep\.litmus:\d+:\d+: nesting too deep /);
    }
    // Where the limit was crossed, whatever the depth past it.
    assert.equal(outcome(make(MAX_NESTING + 1)).replace(/:\d+:\d+:/, ""), outcome(make(20_000)).replace(/:\d+:\d+:/, ""));
  });
}

test("the position of 'nesting too deep' is the token that crossed the limit", () => {
  const text = test1(`r0 = ${"(".repeat(MAX_NESTING + 5)}1${")".repeat(MAX_NESTING + 5)};`);
  // Line 5 is ` r0 = (((...`: the parenthesis number MAX_NESTING + 1 is at column 6 + MAX_NESTING.
  assert.throws(() => parseLitmus(text, "p.litmus"), { message: `p.litmus:5:${6 + MAX_NESTING}: nesting too deep (more than ${MAX_NESTING} levels of parentheses, blocks, operators or calls)` });
});

test("a worker thread, with its bigger stack, gives the main thread's answers", async () => {
  const texts = [NESTED.parentheses!(MAX_NESTING - 2), NESTED.parentheses!(5000), NESTED.blocks!(3000), NESTED["condition negations"]!(3072)];
  const here = texts.map(outcome);
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(${JSON.stringify(new URL("./nestingOutcome.ts", import.meta.url).href)}).then((m) => parentPort.postMessage(workerData.map(m.nestingOutcome)));`;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); ${source} });`;
  const inWorker = await new Promise<string[]>((resolve, reject) => {
    const w = new Worker(boot, { eval: true, workerData: texts, resourceLimits: { stackSizeMb: 16 } });
    w.once("message", (m: string[]) => void w.terminate().then(() => resolve(m)));
    w.once("error", reject);
  });
  assert.deepEqual(inWorker, here);
  assert.match(here[0]!, /^ran: /);
  for (const answer of here.slice(1)) assert.match(answer, /nesting too deep/);
});

test("4,500 '+' terms compile and run as a loop: r0 ends at 4,500", () => {
  const run = runLitmus(compileLitmus(parseLitmus(test1(`r0 = READ_ONCE(*x)${" + 1".repeat(4500)};`, "exists (0:r0=4500)"), "plus.litmus")), { memoryModel: lkmm });
  assert.deepEqual([run.holds, run.fails, run.states], [1, 0, ["0:r0=4500;"]]);
});

test("a chain of mixed operators keeps C's left-to-right evaluation and precedence", () => {
  const run = runLitmus(compileLitmus(parseLitmus(test1("r0 = 10 - 3 - 2 * 2 + 1 << 1 == 10 || 0 && 1;", "exists (0:r0=1)"), "mixed.litmus")), { memoryModel: sc });
  // 10 - 3 - 4 + 1 = 4; 4 << 1 = 8; 8 == 10 is 0; 0 || (0 && 1) is 0.
  assert.deepEqual(run.states, ["0:r0=0;"]);
  const shortCircuit = runLitmus(
    compileLitmus(parseLitmus(test1(`r0 = 0${" && READ_ONCE(*x)".repeat(3000)} || 1${" || READ_ONCE(*x)".repeat(3000)};`, "exists (0:r0=1)"), "sc.litmus")),
    { memoryModel: sc },
  );
  // `0 && ...` skips its 3,000 reads and `1 || ...` its other 3,000: the run has no read at all, one execution.
  assert.deepEqual([shortCircuit.holds, shortCircuit.fails], [1, 0]);
});

test("a condition of 5,000 conjuncts is evaluated and printed flat, as herd prints it", () => {
  const conjuncts = Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? "0:r0=1" : "x=0"));
  const run = runLitmus(compileLitmus(parseLitmus(test1("r0 = 1;", `exists (${conjuncts.join(" /\\ ")} \\/ 0:r0=2 \\/ 0:r0=3)`), "and.litmus")), { memoryModel: sc });
  assert.equal(run.conditionText, `exists (${conjuncts.map((c) => (c === "x=0" ? "[x]=0" : c)).join(" /\\ ")} \\/ 0:r0=2 \\/ 0:r0=3)`);
  assert.deepEqual([run.holds, run.fails], [1, 0]);
});
