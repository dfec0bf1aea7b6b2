import { NODE_REGION_CONFIG_OPTIONS, loadConfig } from '@smithy/core/config';
import type { ConnectionOptions } from './client-args';
import { UsageError } from './client-errors';

/**
 * Where the service is unless told: its own defaults, HOST 127.0.0.1 and PORT 3000
 * (src/config/config.ts), so that `npm start` and `npx aliastrail` find each other.
 */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:3000';

/**
 * The Region of a signature's credential scope unless told. The service accepts any Region there
 * (src/auth/sigv4-verifier.ts): which Region's data a request reads is in its path or arguments.
 */
export const DEFAULT_REGION = 'us-east-1';

export type ClientAuth =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'sigv4'; readonly profile: string | undefined; readonly region: string };

export interface ClientSettings {
  readonly endpoint: string;
  readonly auth: ClientAuth;
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/**
 * A setting of the profile (`--profile`, else AWS_PROFILE, else `default`) in the shared config and
 * credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE), read with the SDK's own loader;
 * undefined when the files or the setting are missing, or the files do not parse.
 */
async function fromProfile(
  profile: string | undefined,
  fromEnv: (env: Env) => string | undefined,
  fromFile: (settings: Record<string, string | undefined>) => string | undefined,
): Promise<string | undefined> {
  try {
    return await loadConfig<string | undefined>(
      { environmentVariableSelector: (env) => set(fromEnv(env)), configFileSelector: fromFile, default: undefined },
      // As the SDK reads a profile's region: the credentials file first, then the config file.
      { profile, preferredFile: 'credentials' },
    )();
  } catch {
    return undefined;
  }
}

/**
 * The service's URL: --endpoint-url, else ALIASTRAIL_ENDPOINT_URL, else the profile's
 * `endpoint_url` (as the AWS CLI and SDKs read it), else the service's default address.
 */
export async function endpointOf(options: ConnectionOptions): Promise<string> {
  if (options.endpointUrl !== undefined) return options.endpointUrl;
  const found = await fromProfile(
    options.profile,
    (env) => env.ALIASTRAIL_ENDPOINT_URL,
    (settings) => settings.endpoint_url,
  );
  if (found !== undefined && !/^https?:\/\/[^/]/i.test(found))
    throw new UsageError(
      `the endpoint URL ${found} (ALIASTRAIL_ENDPOINT_URL or the profile's endpoint_url) is not http:// or https://`,
    );
  return found ?? DEFAULT_ENDPOINT;
}

/**
 * The Region to sign for: --region, else AWS_REGION, else AWS_DEFAULT_REGION (the AWS CLI's), else
 * the profile's `region`, else us-east-1. The SDK's region loader is used without its last resort,
 * the EC2 instance metadata, which costs seconds off EC2 for a Region that changes nothing here.
 */
export async function regionOf(options: ConnectionOptions): Promise<string> {
  if (options.region !== undefined) return options.region;
  const found = await fromProfile(
    options.profile,
    (env) => set(NODE_REGION_CONFIG_OPTIONS.environmentVariableSelector(env)) ?? env.AWS_DEFAULT_REGION,
    (settings) => NODE_REGION_CONFIG_OPTIONS.configFileSelector(settings),
  );
  return found ?? DEFAULT_REGION;
}

/**
 * How the request authenticates: a bearer token (--token, else ALIASTRAIL_TOKEN unless a profile is
 * asked for on the command line), else SigV4 with the AWS credential chain.
 */
export async function settingsOf(options: ConnectionOptions, env: Env): Promise<ClientSettings> {
  const endpoint = await endpointOf(options);
  const token = options.token ?? (options.profile === undefined ? set(env.ALIASTRAIL_TOKEN) : undefined);
  if (token !== undefined) return { endpoint, auth: { kind: 'bearer', token } };
  return { endpoint, auth: { kind: 'sigv4', profile: options.profile, region: await regionOf(options) } };
}
