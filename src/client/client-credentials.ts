import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { getProfileName, loadSharedConfigFiles } from '@smithy/core/config';
import { OperationalError } from './client-errors';

/** What a SigV4 signature needs (a session token too, for temporary credentials). */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

// Silences the chain's warning that AWS_ACCESS_KEY_ID is set beside a profile: with --profile on the
// command line, the profile is plainly what was meant (as the AWS CLI takes it).
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Why the chain found nothing, in words that say what to set. */
async function whyNone(profile: string | undefined, reason: string): Promise<string> {
  const name = getProfileName({ profile });
  if (profile !== undefined || name !== 'default') {
    const files = await loadSharedConfigFiles().catch(() => ({ configFile: {}, credentialsFile: {} }));
    const known = name in files.credentialsFile || name in files.configFile;
    if (!known)
      return `the profile ${name} is in neither the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials) nor the config file (AWS_CONFIG_FILE, ~/.aws/config)`;
    return `no credentials for the profile ${name}: ${reason}`;
  }
  return (
    `no AWS credentials found (${reason}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ` +
    'or use --profile with a profile of ~/.aws/credentials, or --token (ALIASTRAIL_TOKEN) for a bearer token'
  );
}

/**
 * The credentials the AWS SDK would sign with: the standard Node.js chain (environment variables,
 * unless a profile is named; SSO; the shared config and credentials files, credential_process and
 * role assumption included; web identity; container and EC2 instance metadata), for `profile`
 * (--profile), else AWS_PROFILE, else `default`. OperationalError when it finds none.
 */
export async function signingCredentials(profile: string | undefined): Promise<SigningCredentials> {
  try {
    const found = await defaultProvider(profile === undefined ? {} : { profile, logger: quiet })();
    return { accessKeyId: found.accessKeyId, secretAccessKey: found.secretAccessKey, sessionToken: found.sessionToken };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OperationalError(await whyNone(profile, reason));
  }
}
