/**
 * A check that real answers match the OpenAPI document the service serves (/docs-json): every member
 * a schema requires is there, and every member there is declared. Returns the check for that document.
 */
export async function declaredIn(base: string): Promise<(name: string, value: Record<string, unknown>) => void> {
  const document = (await (await fetch(`${base}/docs-json`)).json()) as {
    components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
  };
  return (name, value) => {
    const schema = document.components.schemas[name]!;
    expect({ name, missing: (schema.required ?? []).filter((m) => !(m in value)) }).toEqual({ name, missing: [] });
    expect({ name, undeclared: Object.keys(value).filter((m) => !(m in schema.properties)) }).toEqual({
      name,
      undeclared: [],
    });
  };
}
