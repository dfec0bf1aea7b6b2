import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * A light KMS client for load: SigV4-signed POSTs over keep-alive fetch, as the SDK sends them but
 * without its middleware, so the load generator costs little of the CPU the servers share.
 */
export class SignedKmsClient {
  private readonly signer: SignatureV4;
  private readonly host: string;

  constructor(
    private readonly endpoint: string,
    credentials: Credentials,
    region: string,
  ) {
    this.signer = new SignatureV4({ credentials, region, service: 'kms', sha256: NodeSha256 });
    this.host = new URL(endpoint).host;
  }

  async call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const body = JSON.stringify(input);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: this.host,
      path: '/',
      headers: {
        host: this.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `TrentService.${operation}`,
      },
      body,
    });
    const { host: _host, ...headers } = signed.headers as Record<string, string>;
    const response = await fetch(`${this.endpoint}/`, { method: 'POST', headers, body });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${operation} answered ${response.status}: ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  }
}
