// GenMC's lastzero at its default size, for `pagerace check bench/genmc/models/lastzero.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("lastzero");
