// GenMC's chase-lev at its default size, for `pagerace check bench/genmc/models/chaseLev.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("chase-lev");
