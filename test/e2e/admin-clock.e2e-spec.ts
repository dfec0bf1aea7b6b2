import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sha256Hex } from '../../src/auth/bearer-tokens';
import { clockRequest } from '../support/controllable-clock';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryHeaders } from '../support/query-client';
import { TEST_CREDENTIALS } from '../support/test-app';

const ACCOUNT = TEST_CREDENTIALS.accountId;
const DAY = 86_400;
const principal = (name: string, accessKeyId: string, policies: unknown[], extra: object = {}) => ({
  accessKeyId,
  secretAccessKey: `${name.toLowerCase()}-secret-access-key-0000000000000000`,
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  userName: name,
  policies,
  ...extra,
});
const allow = (action: string | string[], resource = '*') => ({
  Statement: { Effect: 'Allow', Action: action, Resource: resource },
});
/** May verify the ledger and read everything, but not move the clock. */
const auditor = principal('Auditor', 'AKIACLOCKAUDITOR0001', [
  allow(['aliastrail:VerifyLedger', 'aliastrail:ReadHistory', 'aliastrail:ReadAudit']),
]);
/** May move the clock, by its ARN, and nothing else; also by a bearer token. */
const TIMEKEEPER_TOKEN = 'timekeeper-token-0123456789abcdef';
const timekeeper = principal(
  'Timekeeper',
  'AKIACLOCKKEEPER00001',
  [allow('aliastrail:AdvanceClock', 'arn:aws:aliastrail:::clock')],
  {
    bearerTokenSha256: sha256Hex(TIMEKEEPER_TOKEN),
  },
);
/** Everything but the clock. */
const denied = principal('Denied', 'AKIACLOCKDENIED00001', [
  allow('*'),
  { Statement: { Effect: 'Deny', Action: 'aliastrail:AdvanceClock', Resource: '*' } },
]);

/** POST /admin/clock (spec §17.8) is an admin route: signed, and allowed by aliastrail:AdvanceClock. */
describe('the controllable clock’s admin route', () => {
  let kms: KmsTestApp;
  let dir: string;
  const error = async (response: Response) => ({ status: response.status, body: (await response.json()) as unknown });
  /** How far ahead of the real time the service's clock is, in days, by a signed move of 1 s. */
  const daysAhead = async () => {
    const moved = await clockRequest(kms.url, 1);
    expect(moved.status).toBe(200);
    return Math.round(((await moved.json()) as { now: number }).now / DAY - Date.now() / 1000 / DAY);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-admin-clock-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [auditor, timekeeper, denied] }));
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable', ALIASTRAIL_PRINCIPALS_FILE: file });
  });
  afterAll(async () => {
    await kms?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unsigned request with 401 in the admin error shape, and the clock stays', async () => {
    expect(await error(await clockRequest(kms.url, 10 * DAY, { sign: false }))).toEqual({
      status: 401,
      body: { error: { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' } },
    });
    expect(await error(await clockRequest(kms.url, 10 * DAY, { bearer: 'no-such-token' }))).toEqual({
      status: 401,
      body: {
        error: {
          code: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        },
      },
    });
    expect(await daysAhead()).toBe(0);
  });

  it('refuses a body other than the one signed', async () => {
    const url = new URL('/admin/clock', kms.url);
    const signed = JSON.stringify({ advanceSeconds: 1 });
    const headers = await queryHeaders('POST', url, { 'content-type': 'application/json' }, signed, {});
    const sent = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ advanceSeconds: 10 * DAY }) });
    expect(sent.status).toBe(401);
    expect(((await sent.json()) as { error: { code: string } }).error.code).toBe('InvalidSignatureException');
    expect(await daysAhead()).toBe(0);
  });

  it('answers 403 AccessDeniedException to a principal no policy allows aliastrail:AdvanceClock, or one denied it', async () => {
    for (const who of [auditor, denied]) {
      const refused = await error(await clockRequest(kms.url, 10 * DAY, { credentials: who }));
      expect(refused).toEqual({
        status: 403,
        body: {
          error: {
            code: 'AccessDeniedException',
            message: `User: ${who.arn} is not authorized to perform: aliastrail:AdvanceClock on resource: arn:aws:aliastrail:::clock ${
              who === denied
                ? 'with an explicit deny in an identity-based policy'
                : 'because no identity-based policy allows the aliastrail:AdvanceClock action'
            }`,
          },
        },
      });
    }
    expect(await daysAhead()).toBe(0);
  });

  it('moves the clock for a principal allowed the action, signed or by bearer token, and for the unrestricted bootstrap principal', async () => {
    expect((await clockRequest(kms.url, DAY, { credentials: timekeeper })).status).toBe(200);
    expect((await clockRequest(kms.url, DAY, { bearer: TIMEKEEPER_TOKEN })).status).toBe(200);
    expect(await daysAhead()).toBe(2);
  });

  it('checks the body only for a caller allowed to move the clock', async () => {
    const url = new URL('/admin/clock', kms.url);
    const headers = await queryHeaders('POST', url, { 'content-type': 'application/json' }, '{}', {});
    expect(await error(await fetch(url, { method: 'POST', headers, body: '{}' }))).toEqual({
      status: 400,
      body: { error: { code: 'InvalidRequest', message: 'advanceSeconds must be a number greater than 0' } },
    });
  });
});
