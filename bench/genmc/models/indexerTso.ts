// GenMC's indexer at the size benchmarked under TSO, for `pagerace check --model tso bench/genmc/models/indexerTso.ts`.
import { indexer } from "../indexer.ts";
import { SIZES } from "../sizes.ts";

export default indexer(SIZES.indexer.tsoSize);
