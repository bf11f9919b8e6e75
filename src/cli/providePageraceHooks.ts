// Module hooks for providePagerace.ts: "pagerace" and "pagerace/..." that
// Node cannot find from the importing file resolve as if imported from inside
// this package, which names itself through its "exports".

interface ResolveContext {
  readonly parentURL?: string;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ readonly url: string }>;

let insidePackage = "";

export function initialize(data: { readonly insidePackage: string }): void {
  insidePackage = data.insidePackage;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ readonly url: string }> {
  if (specifier !== "pagerace" && !specifier.startsWith("pagerace/")) return nextResolve(specifier, context);
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    if ((e as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw e;
    return nextResolve(specifier, { ...context, parentURL: insidePackage });
  }
}
