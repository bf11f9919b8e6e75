// GenMC's casrot at its default size, for `pagerace check bench/genmc/models/casrot.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("casrot");
