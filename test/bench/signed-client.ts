import * as http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * A light KMS client for load: SigV4-signed POSTs over keep-alive node:http, as the SDK sends them
 * but without its middleware, so the load generator costs little of the CPU the servers share
 * (fetch cost about three times as much CPU a request here, taken from every server measured).
 */
export class SignedKmsClient {
  private readonly signer: SignatureV4;
  private readonly host: string;
  private readonly url: URL;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(endpoint: string, credentials: Credentials, region: string) {
    this.signer = new SignatureV4({ credentials, region, service: 'kms', sha256: NodeSha256 });
    this.url = new URL(endpoint);
    this.host = this.url.host;
  }

  async call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    return (await this.callWithHeaders(operation, input)).output;
  }

  /** As `call`, with the response headers (e.g. x-aliastrail-position). */
  async callWithHeaders(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<{ output: Record<string, unknown> | undefined; headers: http.IncomingHttpHeaders }> {
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
    const { status, text, headers } = await this.post(signed.headers as Record<string, string>, body);
    if (status !== 200) throw new Error(`${operation} answered ${status}: ${text.slice(0, 200)}`);
    return { output: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers };
  }

  private post(
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: '/',
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              headers: response.headers,
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}
