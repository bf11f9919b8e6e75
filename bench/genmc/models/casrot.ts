// GenMC's casrot at its default size, for `pagerace check bench/genmc/models/casrot.ts`.
import { casrot } from "../casrot.ts";
import { SIZES } from "../sizes.ts";

export default casrot(SIZES.casrot.defaultSize);
