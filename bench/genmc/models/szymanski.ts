// GenMC's szymanski at its default size, for `pagerace check bench/genmc/models/szymanski.ts`.
import { defaultModel } from "../families.ts";

export default defaultModel("szymanski");
