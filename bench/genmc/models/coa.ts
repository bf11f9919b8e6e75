// GenMC's CoA at its default size, for `pagerace check bench/genmc/models/coa.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("CoA");
