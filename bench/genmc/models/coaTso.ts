// GenMC's CoA at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/coaTso.ts`.
import { tsoModel } from "../families.ts";

export default tsoModel("CoA");
