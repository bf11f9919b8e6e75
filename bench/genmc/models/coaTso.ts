// GenMC's CoA at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/coaTso.ts`.
import { coa } from "../coa.ts";
import { SIZES } from "../sizes.ts";

export default coa(SIZES.CoA.tsoSize);
