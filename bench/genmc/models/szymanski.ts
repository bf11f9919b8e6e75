// GenMC's szymanski at its default size, for `pagerace check bench/genmc/models/szymanski.ts`.
import { szymanski } from "../szymanski.ts";
import { SIZES } from "../sizes.ts";

export default szymanski(SIZES.szymanski.defaultSize);
