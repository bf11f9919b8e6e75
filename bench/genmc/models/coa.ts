// GenMC's CoA at its default size, for `pagerace check bench/genmc/models/coa.ts`.
import { coa } from "../coa.ts";
import { SIZES } from "../sizes.ts";

export default coa(SIZES.CoA.defaultSize);
