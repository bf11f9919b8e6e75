// GenMC's chase-lev at its default size, for `pagerace check bench/genmc/models/chaseLev.ts`.
import { chaseLev } from "../chaseLev.ts";
import { SIZES } from "../sizes.ts";

export default chaseLev(SIZES["chase-lev"].defaultSize);
