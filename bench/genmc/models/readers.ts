// GenMC's readers at its default size, for `pagerace check bench/genmc/models/readers.ts`.
import { readers } from "../readers.ts";
import { SIZES } from "../sizes.ts";

export default readers(SIZES.readers.defaultSize);
