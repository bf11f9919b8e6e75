// GenMC's lastzero at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/lastzeroTso.ts`.
import { tsoModel } from "../families.ts";

export default tsoModel("lastzero");
