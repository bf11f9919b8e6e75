// GenMC's indexer at its default size, for `pagerace check bench/genmc/models/indexer.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("indexer");
