// GenMC's indexer at its default size, for `pagerace check bench/genmc/models/indexer.ts`.
import { indexer } from "../indexer.ts";
import { SIZES } from "../sizes.ts";

export default indexer(SIZES.indexer.defaultSize);
