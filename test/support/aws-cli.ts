import { execFile, execFileSync } from 'node:child_process';
import * as os from 'node:os';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Whether the AWS CLI is installed here (these machines have it; tests that need it say so where it is not). */
export const hasAwsCli: boolean = (() => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The real AWS CLI against `endpoint`, with these credentials and nothing of the user's own
 * configuration (no profile, no pager).
 */
export function awsCli(
  endpoint: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  args: readonly string[],
  region = 'us-west-2',
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      ['--endpoint-url', endpoint, ...args],
      {
        timeout: 30_000,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_DEFAULT_REGION: region,
          AWS_CONFIG_FILE: os.devNull,
          AWS_SHARED_CREDENTIALS_FILE: os.devNull,
          AWS_PAGER: '',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
