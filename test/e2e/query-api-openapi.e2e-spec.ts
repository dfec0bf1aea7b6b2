import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `/api/regions/:region/keys/:keyId` → `/api/regions/{region}/keys/{keyId}` */
const openApiPath = (fastifyPath: string) => fastifyPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The structural rules of OpenAPI 3.0 that a generated document can break: version, info, operations
 * with responses, declared path parameters, resolvable references, declared security schemes, unique
 * operation ids. Returns every problem found.
 */
function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (!/^3\.0\.\d+$/.test(doc.openapi ?? '')) problems.push(`openapi is ${doc.openapi}`);
  if (!doc.info?.title || !doc.info?.version) problems.push('info needs title and version');
  const resolve = (ref: string) =>
    ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json | undefined>((node, key) => node?.[key], doc);
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${where}[${i}]`));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && (typeof value !== 'string' || !resolve(value)))
          problems.push(`${where}: bad $ref ${value}`);
        walk(value, `${where}.${key}`);
      }
    }
  };
  walk(doc, '#');
  const schemes = Object.keys(doc.components?.securitySchemes ?? {});
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item).filter((key) => METHODS.includes(key))) {
      const op = item[method];
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.operationId || operationIds.has(op.operationId))
        problems.push(`${where}: operationId missing or repeated`);
      operationIds.add(op.operationId);
      const responses = Object.keys(op.responses ?? {});
      if (responses.length === 0 || responses.some((code) => !/^([1-5]\d\d|[1-5]XX|default)$/.test(code)))
        problems.push(`${where}: responses ${responses}`);
      const params: Json[] = op.parameters ?? [];
      for (const p of params) {
        if (!['query', 'header', 'path', 'cookie'].includes(p.in) || !p.name)
          problems.push(`${where}: parameter ${p.name}`);
        if (p.in === 'path' && (p.required !== true || !templated.includes(p.name)))
          problems.push(`${where}: path parameter ${p.name}`);
        if (!p.schema && !p.content) problems.push(`${where}: parameter ${p.name} has no schema`);
      }
      for (const name of templated)
        if (!params.some((p) => p.in === 'path' && p.name === name)) problems.push(`${where}: {${name}} undeclared`);
      for (const requirement of op.security ?? doc.security ?? [])
        for (const scheme of Object.keys(requirement))
          if (!schemes.includes(scheme)) problems.push(`${where}: undeclared security scheme ${scheme}`);
    }
  }
  return problems;
}

describe('the OpenAPI description of the REST query API', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  const routes: { method: string; url: string }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 4 });
    app = await createTestApp(database.url);
    // Nest registers controller routes when the app initialises: record what Fastify really gets.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) routes.push({ method, url: route.url ?? route.path });
      });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('serves a valid OpenAPI 3 document at /docs-json that describes every /api route the app serves', async () => {
    const response = await fetch(`${url}/docs-json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Json;
    expect(openApiProblems(doc)).toEqual([]);
    const registered = routes
      .filter((route) => route.url.startsWith('/api/') && route.method !== 'HEAD')
      .map((route) => `${route.method} ${openApiPath(route.url)}`);
    const documented = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(registered.length).toBeGreaterThanOrEqual(6);
    // Swagger lists every controller route, decorated or not; "described" needs a summary, the
    // answer's schema (JSON, or the export's JSON Lines and CSV) and the security schemes, which only the route's own decorators give.
    const described = (route: string) => {
      const [method, path] = route.split(' ') as [string, string];
      const op = doc.paths[path]?.[method.toLowerCase()];
      return Boolean(
        op?.summary &&
        Object.values<Json>(op.responses?.['200']?.content ?? {}).some((media) => media.schema) &&
        op.security?.length,
      );
    };
    expect({ undescribed: [...new Set(registered)].filter((route) => !described(route)).sort() }).toEqual({
      undescribed: [],
    });
    expect([...new Set(documented)].sort()).toEqual([...new Set(registered)].sort());
  });

  it('describes answers, errors and both ways to authenticate', async () => {
    const doc = (await (await fetch(`${url}/docs-json`)).json()) as Json;
    expect(doc.components.securitySchemes).toMatchObject({
      sigv4: { type: 'apiKey', in: 'header', name: 'Authorization' },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    expect(doc.components.schemas.ErrorAnswer.properties.error.required).toEqual(['code', 'message']);
    const temporal = Object.entries<Json>(doc.paths).filter(([, item]) => item.get?.tags?.includes('temporal aliases'));
    expect(temporal).toHaveLength(6);
    for (const [path, item] of temporal) {
      const op = item.get;
      expect({ path, security: op.security }).toEqual({ path, security: [{ sigv4: [] }, { bearer: [] }] });
      expect({ path, ok: op.responses['200']?.content?.['application/json']?.schema?.$ref }).toEqual({
        path,
        ok: expect.stringMatching(/^#\/components\/schemas\/\w+Answer$/),
      });
      for (const status of ['400', '401'])
        expect(op.responses[status].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorAnswer');
      const answer =
        doc.components.schemas[op.responses['200'].content['application/json'].schema.$ref.split('/').pop()];
      expect(answer.required).toEqual(expect.arrayContaining(['position', 'finalBefore']));
      const queries = (op.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
      expect(queries).toContain('waitForPosition');
    }
    const aliasAt = doc.paths['/api/regions/{region}/alias'].get.parameters as Json[];
    expect(aliasAt.map((p) => p.name)).toEqual(expect.arrayContaining(['region', 'name', 'at', 'atPosition']));
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await fetch(`${url}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });
});
