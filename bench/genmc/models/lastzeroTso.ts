// GenMC's lastzero at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/lastzeroTso.ts`.
import { lastzero } from "../lastzero.ts";
import { SIZES } from "../sizes.ts";

export default lastzero(SIZES.lastzero.tsoSize);
