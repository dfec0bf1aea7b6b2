import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';
import { TEST_CREDENTIALS } from './test-app';

export interface QueryOptions {
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  readonly sign?: boolean;
  readonly region?: string;
}

/** A GET to the query APIs, signed as awscurl signs it for the service `aliastrail` (or not at all). */
export async function signedGet(base: string, pathAndQuery: string, options: QueryOptions = {}): Promise<Response> {
  const url = new URL(pathAndQuery, base);
  const headers: Record<string, string> = { host: url.host };
  let sent = headers;
  if (options.sign !== false) {
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
      method: 'GET',
      protocol: 'http:',
      hostname: url.host,
      path: url.pathname,
      query,
      headers,
    });
    sent = signed.headers as Record<string, string>;
  }
  const { host: _host, ...rest } = sent;
  return fetch(url, { headers: rest });
}

/** The same, read as JSON. */
export async function signedGetJson(base: string, pathAndQuery: string, options: QueryOptions = {}) {
  const response = await signedGet(base, pathAndQuery, options);
  return { status: response.status, body: (await response.json()) as any };
}
