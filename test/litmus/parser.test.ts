// One test per feature of the dialect (the list in shared/litmus/README.md
// and herd's own grammar): header, initial state, processes, statements,
// expressions, and the final section.

import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLitmus, type Expr, type LitmusTest, type Stmt } from "../../src/litmus/index.ts";

const P0 = "P0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\n";

function parse(text: string): LitmusTest {
  return parseLitmus(text, "t.litmus");
}

/** The statements of P0 in a test whose process body is `body`. */
function body(decls: string, params = "int *x, int *y"): readonly Stmt[] {
  return parse(`C t\n{}\nP0(${params})\n{\n${decls}\n}\nexists (x=1)\n`).processes[0]!.body;
}

function expr(text: string): Expr {
  const s = body(`r = ${text};`)[0]!;
  assert.equal(s.kind, "assign");
  return (s as Extract<Stmt, { kind: "assign" }>).value;
}

/** A compact rendering of an expression tree, to check precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case "int":
      return String(e.value);
    case "name":
      return e.name;
    case "unary":
      return `(${e.op}${show(e.operand)})`;
    case "deref":
      return `(*${show(e.operand)})`;
    case "addressOf":
      return `(&${show(e.operand)})`;
    case "cast":
      return `((${e.type.base}${"*".repeat(e.type.pointerDepth)})${show(e.operand)})`;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "call":
      return `${e.name}(${e.args.map(show).join(", ")})`;
  }
}

// ---------------------------------------------------------------- header

test("header: names with / [ ] + - . and the name line's tail", () => {
  const t = parse(`C a/b[c]+d-e.f\n{}\n${P0}exists (x=1)\n`);
  assert.equal(t.name, "a/b[c]+d-e.f");
  assert.equal(t.arch, "C");
  assert.equal(t.processes.length, 1);
});

test("header: Key=value lines, comments and a doc string before the initial state", () => {
  const t = parse(
    [
      "C MP+o-wmb-o",
      '"A doc string"',
      "Cycle=Rfe PodRR Fre PodWW",
      "Relax=",
      "Safe=Rfe Fre",
      "Prefetch=0:x=F,1:x=T",
      "Com=Rf Fr",
      "Orig=PodWW Rfe PodRR Fre",
      "(* a comment { with a brace *)",
      "{ x=0; }",
      P0,
      "exists (x=1)",
    ].join("\n"),
  );
  assert.equal(t.doc, "A doc string");
  assert.deepEqual(
    t.info.map((i) => [i.key, i.value]),
    [
      ["Cycle", "Rfe PodRR Fre PodWW"],
      ["Relax", ""],
      ["Safe", "Rfe Fre"],
      ["Prefetch", "0:x=F,1:x=T"],
      ["Com", "Rf Fr"],
      ["Orig", "PodWW Rfe PodRR Fre"],
    ],
  );
});

test("header: doc string on the name line", () => {
  assert.equal(parse(`C t "on the same line"\n{}\n${P0}exists (x=1)\n`).doc, "on the same line");
});

// ---------------------------------------------------------------- initial state

test("init: empty", () => {
  assert.deepEqual(parse(`C t\n{}\n${P0}exists (x=1)\n`).init, []);
  assert.deepEqual(parse(`C t\n{\n}\n${P0}exists (x=1)\n`).init, []);
});

test("init: typed, untyped, pointers, atomics, locks, srcu, registers", () => {
  const t = parse(
    `C t
{
  int x;
  int y = 1;
  atomic_t a = ATOMIC_INIT(2);
  spinlock_t s;
  int *p = &y;
  int *q=y;
  struct srcu_struct ss;
  unsigned long u = 0x10;
  z=-3;
  w=y;
  v=&y;
  0:r1=1;
  1:r2=x;
  P1:r3 = 4;
  int *n=1; (* a comment inside the init block *)
  volatile int vv;
}
${P0}exists (x=1)
`,
  );
  const rows = t.init.map((e) => [
    e.target.kind === "global" ? e.target.name : `${e.target.proc}:${e.target.name}`,
    e.type ?? null,
    e.value.kind === "int" ? e.value.value : `&${e.value.name}`,
  ]);
  assert.deepEqual(rows, [
    ["x", "int", 0],
    ["y", "int", 1],
    ["a", "atomic_t", 2],
    ["s", "spinlock_t", 0],
    ["p", "int *", "&y"],
    ["q", "int *", "&y"],
    ["ss", "struct srcu_struct", 0],
    ["u", "unsigned long", 16],
    ["z", null, -3],
    ["w", null, "&y"],
    ["v", null, "&y"],
    ["0:r1", null, 1],
    ["1:r2", null, "&x"],
    ["1:r3", null, 4],
    ["n", "int *", 1],
    ["vv", "volatile int", 0],
  ]);
});

test("init: trailing semicolon optional, bare location means 0", () => {
  const t = parse(`C t\n{ x; y=2 }\n${P0}exists (x=1)\n`);
  assert.deepEqual(
    t.init.map((e) => [e.target.kind === "global" && e.target.name, e.value.kind === "int" && e.value.value]),
    [
      ["x", 0],
      ["y", 2],
    ],
  );
});

// ---------------------------------------------------------------- processes

test("processes: parameter types, volatile, void prefix, comments between processes", () => {
  const t = parse(`C t
{}
// a comment before P0
P0(int *x, int **p, atomic_t *a, spinlock_t *s, struct srcu_struct *ss, volatile int *v, int* y) // Producer
{
}
/* between processes */
void P1(void)
{
}
exists (x=1)
`);
  const p = t.processes[0]!.params;
  assert.deepEqual(
    p.map((q) => [q.name, q.type.base, q.type.pointerDepth, q.type.volatile]),
    [
      ["x", "int", 1, false],
      ["p", "int", 2, false],
      ["a", "atomic_t", 1, false],
      ["s", "spinlock_t", 1, false],
      ["ss", "struct srcu_struct", 1, false],
      ["v", "int", 1, true],
      ["y", "int", 1, false],
    ],
  );
  assert.deepEqual(t.processes[1]!.params, []);
});

test("processes: sorted by number, any count", () => {
  const procs = Array.from({ length: 19 }, (_, i) => `P${18 - i}(int *x) { WRITE_ONCE(*x, ${i}); }`).join("\n");
  const t = parse(`C many\n{}\n${procs}\nexists (x=1)\n`);
  assert.deepEqual(
    t.processes.map((p) => p.proc),
    Array.from({ length: 19 }, (_, i) => i),
  );
});

test("locals: with and without initialisers, pointers, volatile, char, unsigned, intptr_t, several per line", () => {
  const b = body(`
	int r0;
	int r1 = READ_ONCE(*x);
	int *r2;
	int **r3 = &x;
	volatile int r4;
	char c = 1;
	unsigned int u;
	unsigned long ul = 2;
	intptr_t ip = (intptr_t)x;
	uintptr_t up;
	int a, *b = y, cc = 3;
	u32 k;
	my_type m;`);
  assert.deepEqual(
    b.map((s) => (s.kind === "decl" ? `${s.type.volatile ? "volatile " : ""}${s.type.base}${"*".repeat(s.type.pointerDepth)} ${s.name}${s.init ? "=" : ""}` : s.kind)),
    [
      "int r0",
      "int r1=",
      "int* r2",
      "int** r3=",
      "volatile int r4",
      "char c=",
      "unsigned int u",
      "unsigned long ul=",
      "intptr_t ip=",
      "uintptr_t up",
      "int a",
      "int* b=",
      "int cc=",
      "u32 k",
      "my_type m",
    ],
  );
});

test("statements: assignment, if with and without braces, else, nested blocks, empty statements", () => {
  const b = body(`
	r0 = READ_ONCE(*x);
	if (r0 == 1)
		WRITE_ONCE(*y, 1);
	if (r0) {
		WRITE_ONCE(*y, 2);
		WRITE_ONCE(*y, 3);
	} else if (r0 == 2) {
		;
	} else
		{ { } }
	;
	*x = 1;
	r1 = *x;
	(void)xchg(x, 1);
	smp_mb();`);
  assert.deepEqual(
    b.map((s) => s.kind),
    ["assign", "if", "if", "empty", "assign", "assign", "expr", "expr"],
  );
  const second = b[2] as Extract<Stmt, { kind: "if" }>;
  assert.equal(second.then.kind, "block");
  assert.equal(second.else?.kind, "if");
  const inner = second.else as Extract<Stmt, { kind: "if" }>;
  assert.equal(inner.else?.kind, "block");
});

test("dangling else binds to the nearest if", () => {
  const b = body("if (r0) if (r1) r2 = 1; else r2 = 2;");
  const outer = b[0] as Extract<Stmt, { kind: "if" }>;
  assert.equal(outer.else, undefined);
  assert.equal((outer.then as Extract<Stmt, { kind: "if" }>).else?.kind, "assign");
});

// ---------------------------------------------------------------- expressions

test("expressions: C precedence and associativity", () => {
  assert.equal(show(expr("1 + 2 * 3")), "(1 + (2 * 3))");
  assert.equal(show(expr("1 - 2 - 3")), "((1 - 2) - 3)");
  assert.equal(show(expr("a == b + 1")), "(a == (b + 1))");
  assert.equal(show(expr("a & b == c")), "(a & (b == c))");
  assert.equal(show(expr("a | b ^ c & d")), "(a | (b ^ (c & d)))");
  assert.equal(show(expr("a < b == c >= d")), "((a < b) == (c >= d))");
  assert.equal(show(expr("a && b || c && d")), "((a && b) || (c && d))");
  assert.equal(show(expr("a || b && c | d")), "(a || (b && (c | d)))");
  assert.equal(show(expr("a != b <= c")), "(a != (b <= c))");
  assert.equal(show(expr("a / b % c * d")), "(((a / b) % c) * d)");
  assert.equal(show(expr("a << 1 + 2")), "(a << (1 + 2))");
  assert.equal(show(expr("(1 + 2) * 3")), "((1 + 2) * 3)");
});

test("expressions: unary operators, pointers, negative and hex literals", () => {
  assert.equal(show(expr("-1")), "-1");
  assert.equal(show(expr("- 5")), "-5");
  assert.equal(show(expr("-a")), "(-a)");
  assert.equal(show(expr("!a")), "(!a)");
  assert.equal(show(expr("~a")), "(~a)");
  assert.equal(show(expr("0x1F")), "31");
  assert.equal(show(expr("*x")), "(*x)");
  assert.equal(show(expr("**p")), "(*(*p))");
  assert.equal(show(expr("&x")), "(&x)");
  assert.equal(show(expr("*x + 1")), "((*x) + 1)");
  assert.equal(show(expr("a - -1")), "(a - -1)");
  assert.equal(show(expr("a-1")), "(a - 1)");
});

test("expressions: casts", () => {
  assert.equal(show(expr("(int)a")), "((int)a)");
  assert.equal(show(expr("(uintptr_t)x")), "((uintptr_t)x)");
  assert.equal(show(expr("(intptr_t)x + 1")), "(((intptr_t)x) + 1)");
  assert.equal(show(expr("*(intptr_t **)x")), "(*((intptr_t**)x))");
  assert.equal(show(expr("(int**)READ_ONCE(*y)")), "((int**)READ_ONCE((*y)))");
  assert.equal(show(expr("(volatile int *)x")), "((int*)x)");
  assert.equal(show(expr("(struct foo *)x")), "((struct foo*)x)");
  assert.equal(show(expr("(x)")), "x");
  const s = body("(void)atomic_add_unless(x, 1, 0);")[0] as Extract<Stmt, { kind: "expr" }>;
  assert.equal(show(s.expr), "((void)atomic_add_unless(x, 1, 0))");
});

test("expressions: every primitive of linux-kernel.def parses as a call", () => {
  const b = body(`
	r0 = READ_ONCE(*x); WRITE_ONCE(*x, 1); r1 = smp_load_acquire(x); smp_store_release(x, 1);
	r2 = rcu_dereference(*p); rcu_assign_pointer(*p, y); smp_store_mb(*x, 1);
	smp_mb(); smp_rmb(); smp_wmb(); smp_mb__before_atomic(); smp_mb__after_atomic();
	smp_mb__after_spinlock(); smp_mb__after_unlock_lock(); smp_mb__after_srcu_read_unlock(); barrier();
	r3 = xchg(x, 1); r3 = xchg_relaxed(x, 1); r3 = xchg_acquire(x, 1); r3 = xchg_release(x, 1);
	r4 = cmpxchg(x, 0, 1); r4 = cmpxchg_relaxed(x, 0, 1); r4 = cmpxchg_acquire(x, 0, 1); r4 = cmpxchg_release(x, 0, 1);
	spin_lock(s); r5 = spin_is_locked(s); spin_unlock(s); r5 = spin_trylock(s);
	rcu_read_lock(); rcu_read_unlock(); synchronize_rcu(); synchronize_rcu_expedited();
	r6 = srcu_read_lock(ss); srcu_read_unlock(ss, r6); r6 = srcu_down_read(ss); srcu_up_read(ss, r6);
	synchronize_srcu(ss); synchronize_srcu_expedited(ss);
	r7 = atomic_read(a); atomic_set(a, 1); r7 = atomic_read_acquire(a); atomic_set_release(a, 2);
	atomic_add(1, a); atomic_sub(1, a); atomic_and(1, a); atomic_or(1, a); atomic_xor(1, a); atomic_inc(a); atomic_dec(a); atomic_andnot(1, a);
	r8 = atomic_add_return(1, a); r8 = atomic_fetch_add_release(1, a); r8 = atomic_inc_return_acquire(a); r8 = atomic_fetch_dec_relaxed(a);
	r8 = atomic_fetch_andnot(1, a); r8 = atomic_xchg_release(a, 1); r8 = atomic_cmpxchg(a, 0, 1);
	r9 = atomic_sub_and_test(1, a); r9 = atomic_dec_and_test(a); r9 = atomic_inc_and_test(a); r9 = atomic_add_negative_relaxed(1, a);
	r9 = atomic_add_unless(a, 1, 5);`,
    "int *x, int *y, int **p, spinlock_t *s, struct srcu_struct *ss, atomic_t *a");
  assert.ok(b.length > 60);
});

test("code comments: // and /* */ inside code; (*x is a dereference there", () => {
  const b = body(`
	r0 = READ_ONCE(*x); // exists (x=2) in a comment does not end the program
	/* nor does
	   filter here */
	r1 = (*x);
	r2 = READ_ONCE((*y));`);
  assert.deepEqual(
    b.map((s) => (s.kind === "assign" ? show(s.value) : s.kind)),
    ["READ_ONCE((*x))", "(*x)", "READ_ONCE((*y))"],
  );
});

test("final-section keywords inside parentheses or braces do not end the program", () => {
  const t = parse(`C t\n{}\nP0(int *filter, int *final, int *x)\n{\n\tint exists = READ_ONCE(*filter);\n}\nexists (x=1)\n`);
  assert.deepEqual(
    t.processes[0]!.params.map((p) => p.name),
    ["filter", "final", "x"],
  );
  assert.equal(t.condition.quantifier, "exists");
});
