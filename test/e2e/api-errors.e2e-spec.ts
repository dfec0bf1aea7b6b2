import * as net from 'node:net';
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

/** A request written byte for byte (fetch would refuse most of these), and the answer's status, type and body. */
function raw(port: number, request: string): Promise<{ status: number; type: string; body: any }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = out.split('\r\n\r\n');
      resolve({
        status: Number(head.split(' ')[1]),
        type: (/\r\ncontent-type: ([^\r;]*)/i.exec(head) ?? [])[1] ?? '',
        body: JSON.parse(rest.join('\r\n\r\n')),
      });
    });
  });
}
const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`;
const post = (path: string, type: string, body: string, headers = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`;
const chunked = (path: string, type: string, bytes: number, headers = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\n${headers}Connection: close\r\n\r\n` +
  `${bytes.toString(16)}\r\n${'a'.repeat(bytes)}\r\n0\r\n\r\n`;
const rest = (status: number, code: string) => ({
  status,
  type: 'application/json',
  body: { error: { code, message: expect.any(String) } },
});
const aws = (type: string) => ({
  status: 400,
  type: 'application/x-amz-json-1.1',
  body: { __type: type, message: expect.any(String) },
});
const gql = (status: number, code: string, reason: string) => ({
  status,
  type: 'application/json',
  body: { data: null, errors: [{ message: expect.any(String), extensions: { code, reason } }] },
});
const KMS = 'X-Amz-Target: TrentService.ListAliases\r\n';
const LEAKS = /FST_|statusCode|node_modules|\/src\/|\bat [\w.<>]+ \(|Cannot (GET|POST)|aaaaaaaaaa/;

/** What Fastify, Nest and Node would answer on their own comes in each API's error shape. */
describe('error shapes', () => {
  let kms: KmsTestApp;
  let port: number;
  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable' });
    port = Number(new URL(kms.url).port);
  });
  afterAll(() => kms?.close());

  it.each([
    ['a 5,000-character Region', get(`/api/regions/${'a'.repeat(5000)}/aliases`), rest(414, 'UriTooLong')],
    ['an unknown admin route', get('/admin/nope'), rest(404, 'NotFound')],
    ['an unknown route', get('/no/such/route'), rest(404, 'NotFound')],
    [
      'an unknown method',
      `DELETE /api/regions/us-west-2/aliases HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      rest(404, 'NotFound'),
    ],
    ['a malformed percent-encoding', get('/api/regions/%zz/aliases'), rest(400, 'InvalidUrl')],
    [
      'a 20 KB URL',
      get(`/api/regions/us-west-2/aliases?x=${'a'.repeat(20000)}`),
      rest(431, 'RequestHeaderFieldsTooLarge'),
    ],
    ['a 20 KB header', get('/health', `X-Big: ${'a'.repeat(20000)}\r\n`), rest(431, 'RequestHeaderFieldsTooLarge')],
    ['a broken request line', 'hello\r\n\r\n', rest(400, 'InvalidRequest')],
    ['malformed JSON to admin', post('/admin/clock', 'application/json', '{"a":'), rest(400, 'MalformedJson')],
    ['empty JSON to admin', post('/admin/ledger/verify', 'application/json', ''), rest(400, 'MalformedJson')],
    [
      'an unsigned admin call',
      post('/admin/clock', 'application/json', '{"advanceSeconds":1}'),
      rest(401, 'MissingAuthenticationTokenException'),
    ],
    [
      'a chunked body over the limit',
      chunked('/admin/clock', 'application/json', 2 * 1024 * 1024),
      rest(413, 'RequestEntityTooLarge'),
    ],
    [
      'a lying Content-Length',
      `POST /admin/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{}`,
      rest(400, 'InvalidRequest'),
    ],
    [
      'KMS: a 20 KB header',
      post('/', 'application/x-amz-json-1.1', '{}', `${KMS}X-Big: ${'a'.repeat(20000)}\r\n`),
      aws('SerializationException'),
    ],
    ['KMS: a malformed URL', post('/%zz', 'application/x-amz-json-1.1', '{}', KMS), rest(400, 'InvalidUrl')],
    [
      'KMS: malformed JSON sent as application/json',
      post('/', 'application/json', '{"a":', KMS),
      aws('SerializationException'),
    ],
    [
      'KMS: a chunked body over the limit',
      chunked('/', 'application/x-amz-json-1.1', 2 * 1024 * 1024, KMS),
      aws('SerializationException'),
    ],
    [
      'CloudTrail: a 20 KB header',
      post(
        '/',
        'application/x-amz-json-1.1',
        '{}',
        `X-Amz-Target: CloudTrail_20131101.LookupEvents\r\nX-Big: ${'a'.repeat(20000)}\r\n`,
      ),
      aws('SerializationException'),
    ],
    ['GraphQL: an unknown route', get('/graphql/nope'), gql(404, 'NOT_FOUND', 'NotFound')],
    [
      'GraphQL: malformed JSON',
      post('/graphql', 'application/json', '{"a":'),
      gql(400, 'BAD_REQUEST', 'MalformedJson'),
    ],
    [
      'GraphQL: a body over the limit',
      chunked('/graphql', 'application/json', 2 * 1024 * 1024),
      gql(413, 'BAD_REQUEST', 'RequestEntityTooLarge'),
    ],
  ])('%s', async (_name, request, expected) => {
    const answer = await raw(port, request);
    expect(answer).toEqual(expected);
    expect(JSON.stringify(answer.body)).not.toMatch(LEAKS);
  });

  it('answers an unknown KMS method the AWS way, and still serves', async () => {
    const answer = await raw(port, `GET / HTTP/1.1\r\nHost: x\r\n${KMS}Connection: close\r\n\r\n`);
    expect(answer).toEqual({
      status: 400,
      type: 'application/x-amz-json-1.1',
      body: { __type: 'UnknownOperationException' },
    });
    expect((await kms.client().send(new ListAliasesCommand({}))).Aliases).toBeDefined();
  });
});
