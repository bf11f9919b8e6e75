// GenMC's fib_bench at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/fibBenchTso.ts`.
import { fibBench } from "../fibBench.ts";
import { SIZES } from "../sizes.ts";

export default fibBench(SIZES.fib_bench.tsoSize);
