import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './client-errors';
import { DEFAULT_ENDPOINT, endpointOf, regionOf, settingsOf } from './client-settings';

// The SDK's loaders read process.env and the shared files it names: each test sets both, for real.
const VARIABLES = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'ALIASTRAIL_ENDPOINT_URL',
];

describe('where the command goes, and how it signs', () => {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-settings-'));
    for (const name of VARIABLES) delete process.env[name];
    fs.writeFileSync(
      path.join(dir, 'config'),
      '[default]\nregion = ap-south-1\n[profile audit]\nregion = eu-west-3\nendpoint_url = http://10.0.0.5:8080\n',
    );
    fs.writeFileSync(path.join(dir, 'credentials'), '[ci]\nregion = sa-east-1\n');
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
  });
  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes the Region from --region, AWS_REGION, AWS_DEFAULT_REGION, the profile, then us-east-1', async () => {
    expect(await regionOf({ profile: 'audit', region: 'us-west-1' })).toBe('us-west-1');
    process.env.AWS_DEFAULT_REGION = 'ca-central-1';
    expect(await regionOf({ profile: 'audit' })).toBe('ca-central-1');
    process.env.AWS_REGION = 'eu-north-1';
    expect(await regionOf({ profile: 'audit' })).toBe('eu-north-1');
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    expect(await regionOf({ profile: 'audit' })).toBe('eu-west-3');
    expect(await regionOf({ profile: 'ci' })).toBe('sa-east-1');
    expect(await regionOf({})).toBe('ap-south-1');
    process.env.AWS_PROFILE = 'audit';
    expect(await regionOf({})).toBe('eu-west-3');
    expect(await regionOf({ profile: 'nobody' })).toBe('us-east-1');
  });

  it("takes the endpoint from --endpoint-url, ALIASTRAIL_ENDPOINT_URL, the profile's endpoint_url, then the default", async () => {
    expect(await endpointOf({ profile: 'audit', endpointUrl: 'https://at.example' })).toBe('https://at.example');
    process.env.ALIASTRAIL_ENDPOINT_URL = 'http://127.0.0.1:4000';
    expect(await endpointOf({ profile: 'audit' })).toBe('http://127.0.0.1:4000');
    delete process.env.ALIASTRAIL_ENDPOINT_URL;
    expect(await endpointOf({ profile: 'audit' })).toBe('http://10.0.0.5:8080');
    expect(await endpointOf({})).toBe(DEFAULT_ENDPOINT);
    expect(DEFAULT_ENDPOINT).toBe('http://127.0.0.1:3000');
    process.env.ALIASTRAIL_ENDPOINT_URL = '127.0.0.1:4000';
    await expect(endpointOf({})).rejects.toThrow(UsageError);
  });

  it('sends a bearer token from --token, or from ALIASTRAIL_TOKEN unless a profile is asked for', async () => {
    expect((await settingsOf({ token: 't1' }, {})).auth).toEqual({ kind: 'bearer', token: 't1' });
    expect((await settingsOf({}, { ALIASTRAIL_TOKEN: 't2' })).auth).toEqual({ kind: 'bearer', token: 't2' });
    expect((await settingsOf({ profile: 'audit' }, { ALIASTRAIL_TOKEN: 't2' })).auth).toEqual({
      kind: 'sigv4',
      profile: 'audit',
      region: 'eu-west-3',
    });
    expect((await settingsOf({}, { ALIASTRAIL_TOKEN: '' })).auth.kind).toBe('sigv4');
  });
});
