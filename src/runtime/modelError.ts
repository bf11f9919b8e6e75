// A fault in the model itself (not in the protocol it describes): thread
// code that throws, yields something that is not an operation, or behaves
// differently on a re-run. Reported as a usage error, never as a verdict.

import { brand, brandedInstanceOf, hasBrand, stampBrand } from "../program/brand.ts";

const MODEL_ERROR = brand("ModelError");

export class ModelError extends Error {
  /** Thrown by another copy of pagerace (a model's own node_modules), it is still a ModelError. */
  static override [Symbol.hasInstance](v: unknown): boolean {
    return brandedInstanceOf(ModelError, this, v, MODEL_ERROR);
  }

  override readonly name = "ModelError";
}

stampBrand(ModelError, MODEL_ERROR);

export function isModelError(e: unknown): e is ModelError {
  return hasBrand(e, MODEL_ERROR);
}
