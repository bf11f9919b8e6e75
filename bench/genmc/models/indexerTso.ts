// GenMC's indexer at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/indexerTso.ts`.
import { tsoModel } from "../families.ts";

export default tsoModel("indexer");
