// A fault in the model itself (not in the protocol it describes): thread
// code that throws, yields something that is not an operation, or behaves
// differently on a re-run. Reported as a usage error, never as a verdict.

export class ModelError extends Error {
  override readonly name = "ModelError";
}
