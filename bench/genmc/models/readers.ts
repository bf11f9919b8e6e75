// GenMC's readers at its default size, for `pagerace check bench/genmc/models/readers.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("readers");
