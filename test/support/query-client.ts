import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';
import { TEST_CREDENTIALS } from './test-app';

/** How a test authenticates to the query APIs (REST and GraphQL). */
export interface QueryOptions {
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** false: no Authorization header at all. */
  readonly sign?: boolean;
  /** Sends `Authorization: Bearer <token>` instead of a signature. */
  readonly bearer?: string;
  readonly region?: string;
}

/**
 * The headers of a query-API request, signed as awscurl signs it for the service `aliastrail`
 * (over `body` when there is one), or carrying a bearer token, or neither. `host` is signed but
 * left out of what is returned: fetch sets it.
 */
export async function queryHeaders(
  method: 'GET' | 'POST',
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
  options: QueryOptions,
): Promise<Record<string, string>> {
  let sent: Record<string, string> = { host: url.host, ...headers };
  if (options.bearer !== undefined) sent = { ...headers, authorization: `Bearer ${options.bearer}` };
  else if (options.sign !== false) {
    const signer = new SignatureV4({
      credentials: options.credentials ?? TEST_CREDENTIALS,
      region: options.region ?? 'us-west-2',
      service: 'aliastrail',
      sha256: NodeSha256,
    });
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const signed = await signer.sign({
      method,
      protocol: 'http:',
      hostname: url.host,
      path: url.pathname,
      query,
      headers: sent,
      body,
    });
    sent = signed.headers as Record<string, string>;
  }
  const { host: _host, ...rest } = sent;
  return rest;
}

/** A GET to the query API. */
export async function signedGet(base: string, pathAndQuery: string, options: QueryOptions = {}): Promise<Response> {
  const url = new URL(pathAndQuery, base);
  return fetch(url, { headers: await queryHeaders('GET', url, {}, undefined, options) });
}

/** The same, read as JSON. */
export async function queryApi(base: string, pathAndQuery: string, options: QueryOptions = {}) {
  const response = await signedGet(base, pathAndQuery, options);
  return { status: response.status, body: (await response.json()) as any };
}
