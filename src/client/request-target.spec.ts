import fc from 'fast-check';
import type { Principal } from '../auth/principal';
import { verifySigV4 } from '../auth/sigv4-verifier';
import { decodeComponent, queryPairsOf, requestTargetOf, strictEncode } from './request-target';
import { headersFor } from './signed-request';

const ENDPOINT = 'http://127.0.0.1:3000';
const PRINCIPAL: Principal = {
  accessKeyId: 'AKIACLIENTSPEC000001',
  secretAccessKey: 'client-spec-secret-access-key-000000000',
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/admin',
  userName: 'admin',
};

/** The query as the service reads it from the URL it receives (src/callers/query-caller.ts). */
function serviceQuery(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(url.search.slice(1))) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** Signs `pathAndQuery` as the command does, and verifies it as the service does what it receives. */
async function verifies(pathAndQuery: string, region = 'us-east-1'): Promise<boolean> {
  const target = requestTargetOf(ENDPOINT, pathAndQuery);
  const headers = await headersFor({ method: 'GET', target }, { kind: 'sigv4', credentials: PRINCIPAL, region });
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const [path] = `${target.path}${target.url.search}`.split('?', 1);
  const caller = await verifySigV4(
    { method: 'GET', path: path!, query: serviceQuery(target.url), headers: lower, body: Buffer.alloc(0) },
    'aliastrail',
    (id) => (id === PRINCIPAL.accessKeyId ? PRINCIPAL : undefined),
    new Date(),
  );
  return caller.principal === PRINCIPAL;
}

describe('the request target: what is sent is what is signed', () => {
  it('sends a typed query strictly percent-encoded, in the order given', () => {
    const target = requestTargetOf(ENDPOINT, '/api/regions/us-east-1/alias?name=alias/x&at=2026-03-01T14:00:00Z');
    expect(target.url.href).toBe(
      'http://127.0.0.1:3000/api/regions/us-east-1/alias?name=alias%2Fx&at=2026-03-01T14%3A00%3A00Z',
    );
    expect(target.path).toBe('/api/regions/us-east-1/alias');
    expect(target.query).toEqual({ name: 'alias/x', at: '2026-03-01T14:00:00Z' });
  });

  it('takes a query already encoded as the same query, and + as a plus sign', () => {
    const encoded = requestTargetOf(ENDPOINT, '/x?at=2026-03-01T14%3a00%3A00%2B01:00&name=alias%2Fx');
    expect(encoded.query).toEqual({ at: '2026-03-01T14:00:00+01:00', name: 'alias/x' });
    expect(encoded.url.search).toBe('?at=2026-03-01T14%3A00%3A00%2B01%3A00&name=alias%2Fx');
    expect(requestTargetOf(ENDPOINT, '/x?q=a+b%20c').query).toEqual({ q: 'a+b c' });
  });

  it('keeps repeated parameters, drops empty pieces and the fragment, and keeps a bare name', () => {
    const target = requestTargetOf(ENDPOINT, '/x?eventName=Encrypt&&eventName=Decrypt&readOnly&#frag');
    expect(target.query).toEqual({ eventName: ['Encrypt', 'Decrypt'], readOnly: '' });
    expect(target.url.search).toBe('?eventName=Encrypt&eventName=Decrypt&readOnly=');
    expect(requestTargetOf(ENDPOINT, '/x?').url.href).toBe('http://127.0.0.1:3000/x');
  });

  it("puts the endpoint's own path first, and never reads // as another host", () => {
    expect(requestTargetOf('https://proxy.example/aliastrail/', '/api/x?a=1').url.href).toBe(
      'https://proxy.example/aliastrail/api/x?a=1',
    );
    expect(requestTargetOf(ENDPOINT, '//evil.example/x').url.host).toBe('127.0.0.1:3000');
    expect(requestTargetOf(ENDPOINT, '/keys/a b/"q"').path).toBe('/keys/a%20b/%22q%22');
  });

  it('decodes escapes only, and bytes that are not UTF-8 as the service would', () => {
    expect(decodeComponent('100%')).toBe('100%');
    expect(decodeComponent('%E2%82%AC%zz')).toBe('€%zz');
    expect(decodeComponent('%FF')).toBe('\uFFFD');
    expect(strictEncode("a-b_c.d~e !'()*/:+")).toBe('a-b_c.d~e%20%21%27%28%29%2A%2F%3A%2B');
    expect(queryPairsOf('a=1=2&b')).toEqual([
      ['a', '1=2'],
      ['b', ''],
    ]);
  });

  it('is verified by the service for queries as users type them: unsorted, with : and /', async () => {
    await expect(verifies('/api/regions/us-east-1/alias?name=alias/x&at=2026-03-01T14:00:00Z')).resolves.toBe(true);
    await expect(verifies('/api/regions/us-east-1/alias?name=alias%2Fx&at=2026-03-01T14%3A00%3A00Z')).resolves.toBe(
      true,
    );
    await expect(
      verifies('/api/regions/us-west-2/audit-events?eventName=Encrypt&alias=alias/a b&eventName=Decrypt', 'eu-west-1'),
    ).resolves.toBe(true);
    await expect(verifies('/api/regions/us-east-1/keys/1234abcd-12ab/aliases')).resolves.toBe(true);
  });

  it('is verified by the service for any path and query string', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\u0000'));
    const segment = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((s) => !/[\u0000/?#]/.test(s));
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(text, text), { maxLength: 5 }),
        async (segments, pairs) => {
          const search = pairs.map(([name, value]) => `${name.replace(/[&=#]/g, '')}=${value.replace(/[&#]/g, '')}`);
          return verifies(`/${segments.join('/')}?${search.join('&')}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
