// GenMC's lastzero at its default size, for `pagerace check bench/genmc/models/lastzero.ts`.
import { lastzero } from "../lastzero.ts";
import { SIZES } from "../sizes.ts";

export default lastzero(SIZES.lastzero.defaultSize);
