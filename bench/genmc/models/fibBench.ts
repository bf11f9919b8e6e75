// GenMC's fib_bench at its default size, for `pagerace check bench/genmc/models/fibBench.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("fib_bench");
