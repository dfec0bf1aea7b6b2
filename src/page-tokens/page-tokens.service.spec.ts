import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ControllableClock } from '../clock/clock';
import type { Config } from '../config/config';
import { InvalidPageToken } from './page-token-codec';
import { PAGE_TOKEN_LIFETIME_MS, PageTokens } from './page-tokens.service';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'page-tokens-'));
const instance = (file: string, clock = new ControllableClock()) =>
  new PageTokens({ ledgerKeyFile: path.join(dir, file) } as Config, clock);
const use = { listing: 'kms:ListKeys', binding: { scope: { accountId: '111122223333', region: 'us-west-2' } } };
const faultOf = (open: () => unknown) => {
  try {
    open();
    return 'ok';
  } catch (error) {
    return error instanceof InvalidPageToken ? error.fault : (error as Error).message;
  }
};

describe('PageTokens', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pages across instances that share the ledger key file, and only those', () => {
    const [first, second] = [instance('shared.pem'), instance('shared.pem')];
    const token = first.issue(use, Buffer.from('key-2'));
    expect(second.open(use, token).toString()).toBe('key-2');
    expect(fs.statSync(path.join(dir, 'shared.pem')).mode & 0o777).toBe(0o600);
    expect(faultOf(() => instance('other.pem').open(use, token))).toBe('forged');
  });

  it('refuses a token once its lifetime has passed on the clock', () => {
    const clock = new ControllableClock();
    const tokens = instance('shared.pem', clock);
    const token = tokens.issue(use, Buffer.from('key-2'));
    clock.advance(PAGE_TOKEN_LIFETIME_MS / 1000 - 60);
    expect(faultOf(() => tokens.open(use, token))).toBe('ok');
    clock.advance(120);
    expect(faultOf(() => tokens.open(use, token))).toBe('expired');
  });
});
