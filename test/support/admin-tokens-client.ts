import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';

export interface AdminCallOptions {
  /** Signs with SigV4 for the service `aliastrail` (as awscurl does). */
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Sends `Authorization: Bearer <token>` instead. */
  readonly bearer?: string;
  /** A JSON body, sent as application/json. */
  readonly json?: unknown;
}

/**
 * A call to an admin or query route with any method (query-client.ts signs GET and POST only),
 * answered as status and parsed JSON body. Neither credentials nor bearer: an unsigned call.
 */
export async function adminCall(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  pathAndQuery: string,
  options: AdminCallOptions = {},
): Promise<{ status: number; body: any; text: string }> {
  const url = new URL(pathAndQuery, base);
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  let headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (options.bearer !== undefined) headers = { ...headers, authorization: `Bearer ${options.bearer}` };
  else if (options.credentials) {
    const signer = new SignatureV4({
      credentials: options.credentials,
      region: 'us-east-1',
      service: 'aliastrail',
      sha256: NodeSha256,
    });
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    const signed = await signer.sign({
      method,
      protocol: 'http:',
      hostname: url.host,
      path: url.pathname,
      query,
      headers: { host: url.host, ...headers },
      body,
    });
    const { host: _host, ...rest } = signed.headers as Record<string, string>;
    headers = rest;
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}
