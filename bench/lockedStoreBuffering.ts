// SB with N processes, each taking one spinlock around its store and load:
// the shape where herd7's candidate enumeration is slowest (N = 5: 12.3 s
// with herd7 7.58) and where exploring execution graphs pays off.

export function lockedStoreBuffering(n: number): string {
  const procs = Array.from({ length: n }, (_, i) => {
    const mine = `x${i}`;
    const next = `x${(i + 1) % n}`;
    return `P${i}(int *${mine}, int *${next}, spinlock_t *s)
{
	int r0;

	spin_lock(s);
	WRITE_ONCE(*${mine}, 1);
	r0 = READ_ONCE(*${next});
	spin_unlock(s);
}`;
  });
  const cond = Array.from({ length: n }, (_, i) => `${i}:r0=0`).join(" /\\ ");
  return `C SB+${n}-spinlocked\n\n{}\n\n${procs.join("\n\n")}\n\nexists (${cond})\n`;
}
