// UFFDIO_COPY against fork() of a process monitored with userfaultfd: the
// monitor fills a page the child never gets, and cannot tell.
//
// Commits: df2cc96e7701 "userfaultfd: prevent non-cooperative events vs
// mcopy_atomic races" (Mike Rapoport, 2018): fork's dup_userfaultfd sets
// ctx->mmap_changing under mmap_lock (write) before copy_page_range; the
// fork's event completion clears it once the monitor has read the event;
// mcopy_atomic, under mmap_lock (read), returns -EAGAIN while it is set.
// Without it a copy that lands after copy_page_range is in the parent only,
// yet the monitor, not having read the fork event, believes the child has it.
// a759a909d42d "userfaultfd: change mmap_changing to atomic" (Nadav Amit,
// 2021): with two events in flight the first completion clears the boolean
// while the second is unread; a counter stays raised until both are read.
//
// Expected verdicts, under SC (the default) and the same under --model lkmm,
// given that the event handshake is a release (the monitor's read, under
// event_wqh.lock) and an acquire (the fork waking from its wait); with both
// as plain once accesses LKMM lets the monitor read the mmap_changing the
// fork clears only after that very read, and the fixed variants fail:
//   uffd-copy-vs-fork-no-mmap-changing     violation
//   uffd-copy-vs-fork-bool-df2cc96e7701    verified
//   uffd-copy-vs-fork-bool-two-forks       violation
//   uffd-copy-vs-fork-atomic-a759a909d42d  verified
import { model, type Model } from "../src/index.ts";
import { downRead, upRead, downWrite, upWrite, describeRwsem, readOnce, writeOnce, atomicInc, atomicDec, atomicRead } from "../src/kernel/index.ts";

type Variant = "no-mmap-changing" | "bool-df2cc96e7701" | "bool-two-forks" | "atomic-a759a909d42d";
const PAGE = 1;

function uffd(variant: Variant): Model {
  const forks = variant === "bool-two-forks" || variant === "atomic-a759a909d42d" ? ["forkA", "forkB"] : ["forkA"];
  return model(`uffd-copy-vs-fork-${variant}`, (m) => {
    m.expect(variant === "no-mmap-changing" || variant === "bool-two-forks" ? "violation" : "verified");
    const mmapLock = m.location("mm.mmap_lock", 0);
    describeRwsem(m, mmapLock);
    const parentPte = m.location("parent.pte", 0);
    const mmapChanging = m.location("ctx.mmap_changing", 0);
    const events = m.location("ctx.event_wqh", 0); // bit per posted, unread fork event
    m.describe(parentPte, (v) => (v === PAGE ? "copied page" : "none"));

    forks.forEach((name, i) => {
      const bit = 1 << i;
      m.thread(name, function* (t) {
        t.step("dup_mmap");
        yield* downWrite(t, mmapLock);
        if (variant !== "no-mmap-changing") {
          t.step("dup_userfaultfd");
          if (variant === "atomic-a759a909d42d") yield* atomicInc(t, mmapChanging);
          else yield* writeOnce(t, mmapChanging, 1);
        }
        t.step("copy_page_range");
        const childHasPage = (yield* readOnce(t, parentPte)) === PAGE ? 1 : 0;
        yield* upWrite(t, mmapLock);
        t.step("dup_userfaultfd_complete");
        yield* t.fetchOr(events, bit);
        // userfaultfd_event_wait_completion: sleep until the monitor read the
        // event (under event_wqh.lock: acquire here, release there).
        yield* t.await(events, (v) => ((v as number) & bit) === 0, "acquire");
        if (variant === "atomic-a759a909d42d") yield* atomicDec(t, mmapChanging);
        else if (variant !== "no-mmap-changing") yield* writeOnce(t, mmapChanging, 0);
        return { childHasPage };
      });
    });

    m.thread("monitor", function* (t) {
      let readBeforeCopy = 0;
      if (forks.length === 2) {
        t.step("read(uffd)");
        const old = yield* t.awaitRmw(events, (v) => v !== 0, (v) => (v as number) & ((v as number) - 1), "release");
        readBeforeCopy = (old as number) & -(old as number);
      }
      t.step("UFFDIO_COPY: mcopy_atomic");
      yield* downRead(t, mmapLock);
      let copied = 0;
      const changing = variant === "no-mmap-changing" ? 0
        : variant === "atomic-a759a909d42d" ? yield* atomicRead(t, mmapChanging) : yield* readOnce(t, mmapChanging);
      if (changing === 0 && (yield* readOnce(t, parentPte)) === 0) {
        yield* writeOnce(t, parentPte, PAGE);
        copied = 1;
      }
      yield* upRead(t, mmapLock);
      t.step("read(uffd)");
      for (let i = readBeforeCopy === 0 ? 0 : 1; i < forks.length; i++)
        yield* t.awaitRmw(events, (v) => v !== 0, (v) => (v as number) & ((v as number) - 1), "release");
      return { copied, readBeforeCopy };
    });

    m.forall("a page the monitor copied before reading a fork's event is in that child too", (s) => {
      const mon = s.result("monitor")!;
      return forks.every((name, i) =>
        mon.copied !== 1 || ((mon.readBeforeCopy as number) & (1 << i)) !== 0 || s.result(name)!.childHasPage === 1);
    });
    m.exists("the copy succeeds", (s) => s.result("monitor")!.copied === 1);
  });
}

export default [uffd("no-mmap-changing"), uffd("bool-df2cc96e7701"), uffd("bool-two-forks"), uffd("atomic-a759a909d42d")];
