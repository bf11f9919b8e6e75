// `check` on a model that declares identical threads: the report says that
// symmetry reduction was on and that the counts are of classes, the
// violation is drawn as a real execution that replays, and --no-symmetry
// counts every execution. The JSON result says the same, as its schema
// documents.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { pagerace } from "./pagerace.ts";

const FIXTURE = "test/cli/fixtures/identicalThreads.ts";
const APART = "test/cli/fixtures/identicalThreadsApart.ts";

test("check reports symmetry reduction and counts classes; --no-symmetry counts every execution", () => {
  const reduced = pagerace("check", "--all", FIXTURE);
  const full = pagerace("check", "--all", "--no-symmetry", FIXTURE);
  assert.equal(reduced.code, 1, reduced.err);
  assert.equal(full.code, 1, full.err);
  assert.match(reduced.out, /symmetry reduction on: counts are of classes of executions equal up to exchanging identical threads \(A ~ B ~ C\)/);
  assert.match(full.out, /symmetry reduction turned off: identical threads A ~ B ~ C/);
  const documentOf = (args: string[]) => JSON.parse(pagerace("check", "--json", "--all", ...args, FIXTURE).out);
  const reducedDoc = documentOf([]);
  const fullDoc = documentOf(["--no-symmetry"]);
  const on = reducedDoc.results[0];
  const off = fullDoc.results[0];
  assert.deepEqual(on.symmetry, { reduced: true, classes: [["A", "B", "C"]], why: null });
  assert.equal(off.symmetry.reduced, false);
  assert.ok(on.executions < off.executions, `${on.executions} classes, ${off.executions} executions`);
  assert.ok(on.violations.length > 0);
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync("docs/schema/pagerace-result.schema.json", "utf8")) as object);
  for (const doc of [reducedDoc, fullDoc]) assert.ok(validate(doc), JSON.stringify(validate.errors));
  // The violation drawn is a real execution: its replay id reaches it.
  const id = on.violations[0].replayId as string;
  const replayed = pagerace("replay", FIXTURE, id);
  assert.equal(replayed.code, 1, replayed.err);
  assert.match(replayed.out, /every increment counts/);
});

test("a check failing only for an exchange of identical threads names the exchange, in the report and the JSON; threads not identical are named with what they do", () => {
  const text = pagerace("check", APART);
  assert.equal(text.code, 2, text.err);
  // The execution drawn has A read 0: the violation says which exchange of names fails.
  assert.match(text.out, /check failed: A went first \(with A and [BC] exchanged in the execution drawn\)/);
  const doc = JSON.parse(pagerace("check", "--json", APART).out);
  const [first, different] = doc.results;
  assert.match(first.violations[0].message, /^check failed: A went first \(with A and [BC] exchanged in the execution drawn\)$/);
  assert.match(first.verdictText, /\(with A and [BC] exchanged in the execution drawn\)/);
  assert.equal(different.verdict, "model error");
  assert.equal(
    different.error,
    "threads A and B are declared identical, but after reading the same values their 1st operations differ: A writes 1 to x, B writes 2 to x; " +
      "declare them apart, or run without symmetry reduction",
  );
  // The report's line names the model once.
  assert.match(text.err, /model 'different values' \[sc\]: threads A and B are declared identical/);
});

test("--resume names --no-symmetry when the checkpoint was made with it and the resume is not, and the other way round", () => {
  const dir = mkdtempSync(join(tmpdir(), "pagerace-symmetry-"));
  try {
    for (const [checkpointed, resumed] of [[[], ["--no-symmetry"]], [["--no-symmetry"], []]]) {
      const file = join(dir, `${checkpointed.length}.checkpoint`);
      const made = pagerace("check", FIXTURE, "--quiet", ...checkpointed, "--checkpoint", file);
      assert.equal(made.code, 1, made.err);
      assert.equal(pagerace("check", FIXTURE, "--quiet", ...checkpointed, "--resume", file).code, 1, "the same options resume");
      const refused = pagerace("check", FIXTURE, "--quiet", ...resumed, "--resume", file);
      assert.equal(refused.code, 2);
      assert.match(refused.err, /was checkpointed with other options: --no-symmetry: resume with the same file and options, or start again/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
