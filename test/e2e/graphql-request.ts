import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';
import { TEST_CREDENTIALS } from '../support/test-app';

export interface GraphqlOptions {
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  readonly sign?: boolean;
  /** Changes the body after signing. */
  readonly tamper?: (body: string) => string;
  /** Sent as the body instead of `{query, variables}` (still signed). */
  readonly rawBody?: string;
}

export interface GraphqlResponse {
  readonly status: number;
  readonly body: any;
}

async function signedHeaders(
  method: 'GET' | 'POST',
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
  options: GraphqlOptions,
): Promise<Record<string, string>> {
  if (options.sign === false) return headers;
  const signer = new SignatureV4({
    credentials: options.credentials ?? TEST_CREDENTIALS,
    region: 'us-west-2',
    service: 'aliastrail',
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.host,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
  });
  return signed.headers as Record<string, string>;
}

async function send(url: URL, init: RequestInit): Promise<GraphqlResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

/** A POST /graphql signed as awscurl signs it for the service `aliastrail` (or not at all). */
export async function graphql(
  base: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: GraphqlOptions = {},
): Promise<GraphqlResponse> {
  const url = new URL('/graphql', base);
  const body = options.rawBody ?? JSON.stringify({ query, variables });
  const headers = await signedHeaders(
    'POST',
    url,
    { host: url.host, 'content-type': 'application/json' },
    body,
    options,
  );
  const { host: _host, ...rest } = headers;
  return send(url, { method: 'POST', headers: rest, body: options.tamper ? options.tamper(body) : body });
}

/** The same query as a signed GET /graphql?query=… */
export async function graphqlGet(base: string, query: string, options: GraphqlOptions = {}): Promise<GraphqlResponse> {
  const url = new URL('/graphql', base);
  url.searchParams.set('query', query);
  const { host: _host, ...rest } = await signedHeaders('GET', url, { host: url.host }, undefined, options);
  return send(url, { headers: rest });
}
