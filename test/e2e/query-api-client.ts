import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';
import { TEST_CREDENTIALS } from '../support/test-app';

export interface QueryOptions {
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** false: no Authorization header at all. */
  readonly sign?: boolean;
  /** Sends `Authorization: Bearer <token>` instead of a signature. */
  readonly bearer?: string;
}

/** A GET to the query API, signed as awscurl signs it for the service `aliastrail`, or with a bearer token. */
export async function queryApi(base: string, pathAndQuery: string, options: QueryOptions = {}) {
  const url = new URL(pathAndQuery, base);
  let headers: Record<string, string> = { host: url.host };
  if (options.bearer !== undefined) headers = { authorization: `Bearer ${options.bearer}` };
  else if (options.sign !== false) {
    const signer = new SignatureV4({
      credentials: options.credentials ?? TEST_CREDENTIALS,
      region: 'us-west-2',
      service: 'aliastrail',
      sha256: NodeSha256,
    });
    const signed = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname: url.host,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
    });
    headers = signed.headers as Record<string, string>;
  }
  const { host: _host, ...sent } = headers;
  const response = await fetch(url, { headers: sent });
  return { status: response.status, body: (await response.json()) as any };
}
