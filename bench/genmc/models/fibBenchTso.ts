// GenMC's fib_bench at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/fibBenchTso.ts`.
import { tsoModel } from "../families.ts";

export default tsoModel("fib_bench");
