// A value as a trace prints it: through the name the model declared for its
// location (`m.describe`: a pte's page, a lock word's holders), else as the
// number or `&location` it is.

import type { Model } from "../program/model.ts";
import { formatValue, type Value } from "../program/value.ts";

export function valueText(model: Model, loc: number, v: Value): string {
  const namer = loc >= 0 ? model.valueNames?.get(loc) : undefined;
  if (namer === undefined) return formatValue(v);
  try {
    return namer(v) ?? formatValue(v);
  } catch {
    // A namer is model code, run only to print: a bug in it must not hide the trace.
    return formatValue(v);
  }
}
