// GenMC's fib_bench at its default size, for `pagerace check bench/genmc/models/fibBench.ts`.
import { fibBench } from "../fibBench.ts";
import { SIZES } from "../sizes.ts";

export default fibBench(SIZES.fib_bench.defaultSize);
