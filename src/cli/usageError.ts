// Bad input from the user (arguments, files): exit code 2 with the message alone.

export class UsageError extends Error {
  override readonly name = "UsageError";
}
