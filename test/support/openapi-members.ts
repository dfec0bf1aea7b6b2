/** How an answer differs from its schema: members the schema requires that it lacks, and members it does not declare. */
export interface SchemaMismatch {
  readonly name: string;
  readonly missing: string[];
  readonly undeclared: string[];
}

/**
 * A check that real answers match the OpenAPI document the service serves (/docs-json): every member
 * a schema requires is there, and every member there is declared. Returns the check for that
 * document; a test expects `{ name, missing: [], undeclared: [] }` of it.
 */
export async function declaredIn(
  base: string,
): Promise<(name: string, value: Record<string, unknown>) => SchemaMismatch> {
  const document = (await (await fetch(`${base}/docs-json`)).json()) as {
    components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
  };
  return (name, value) => {
    const schema = document.components.schemas[name]!;
    return {
      name,
      missing: (schema.required ?? []).filter((m) => !(m in value)),
      undeclared: Object.keys(value).filter((m) => !(m in schema.properties)),
    };
  };
}
