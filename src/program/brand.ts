// Identity that survives a second copy of pagerace. A model file that
// imports `pagerace` from its own node_modules gets classes that are not the
// ones the command line's bundle runs with, so `instanceof` between them
// fails. A brand is a property keyed by a registered symbol (Symbol.for), the
// same in every copy loaded into one process.

export type Brand = symbol;

export function brand(name: string): Brand {
  return Symbol.for(`pagerace.${name}`);
}

/** Marks every instance of `cls` (and of its subclasses) with the brand. */
export function stampBrand(cls: { prototype: object }, b: Brand): void {
  Object.defineProperty(cls.prototype, b, { value: true });
}

export function hasBrand(v: unknown, b: Brand): boolean {
  return typeof v === "object" && v !== null && (v as Record<Brand, unknown>)[b] === true;
}

/**
 * For a class's static [Symbol.hasInstance]: `x instanceof C` answers by the
 * brand for C itself, so call sites written with instanceof keep working
 * across copies; a subclass keeps the ordinary prototype check.
 */
export function brandedInstanceOf(cls: object, self: object, v: unknown, b: Brand): boolean {
  if (self === cls) return hasBrand(v, b);
  return Function.prototype[Symbol.hasInstance].call(self, v);
}
