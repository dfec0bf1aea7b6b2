import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';
import { TEST_CREDENTIALS } from './test-app';

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown> | undefined;
}

export interface RawOptions {
  readonly target?: string | null;
  readonly sign?: boolean;
  readonly secretAccessKey?: string;
  readonly accessKeyId?: string;
  readonly signingDate?: Date;
  readonly region?: string;
  readonly service?: string;
  /** Changes the body after signing. */
  readonly tamper?: (body: string) => string;
  readonly contentType?: string;
}

/** A hand-made KMS request: exactly these bytes, signed like the SDK signs (or not at all). */
export async function rawKms(url: string, body: string | Uint8Array, options: RawOptions = {}): Promise<RawResponse> {
  const host = new URL(url).host;
  const headers: Record<string, string> = { host, 'content-type': options.contentType ?? 'application/x-amz-json-1.1' };
  if (options.target !== null) headers['x-amz-target'] = options.target ?? 'TrentService.ListAliases';
  let sent = headers;
  if (options.sign !== false) {
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: options.accessKeyId ?? TEST_CREDENTIALS.accessKeyId,
        secretAccessKey: options.secretAccessKey ?? TEST_CREDENTIALS.secretAccessKey,
      },
      region: options.region ?? 'us-west-2',
      service: options.service ?? 'kms',
      sha256: NodeSha256,
    });
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: host, path: '/', headers, body },
      { signingDate: options.signingDate },
    );
    sent = signed.headers as Record<string, string>;
  }
  const { host: _host, ...fetchHeaders } = sent;
  const response = await fetch(`${url}/`, {
    method: 'POST',
    headers: fetchHeaders,
    body: options.tamper && typeof body === 'string' ? options.tamper(body) : body,
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
