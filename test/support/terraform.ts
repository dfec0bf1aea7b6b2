import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where a new user's Terraform finds the hashicorp/aws provider without the registry: the implicit
 * local mirror directories Terraform searches on Linux, and /opt/tf-plugins, where these machines
 * keep theirs. ALIASTRAIL_TF_PLUGIN_MIRROR names another.
 */
const MIRROR_CANDIDATES = [
  process.env.ALIASTRAIL_TF_PLUGIN_MIRROR,
  path.join(os.homedir(), '.terraform.d', 'plugins'),
  path.join(os.homedir(), '.local', 'share', 'terraform', 'plugins'),
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
  '/opt/tf-plugins',
].filter((dir): dir is string => dir !== undefined && dir !== '');

const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** A mirror directory that holds some version of hashicorp/aws (unpacked or packed layout), if any. */
export const awsProviderMirror: string | undefined = MIRROR_CANDIDATES.find((dir) => {
  const provider = path.join(dir, AWS_PROVIDER);
  return existsSync(provider) && readdirSync(provider).length > 0;
});

/** Whether the terraform binary runs here. */
export const hasTerraform: boolean = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
})();

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A Terraform working directory of its own, whose CLI configuration installs hashicorp/aws from the
 * local mirror only (never the network), with nothing of the user's configuration.
 */
export class TerraformDir {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'aliastrail-tf-'));
  private readonly cliConfig = path.join(this.dir, 'cli.tfrc');

  constructor(mirror: string) {
    writeFileSync(
      this.cliConfig,
      `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["${AWS_PROVIDER}"]
  }
  direct {
    exclude = ["${AWS_PROVIDER}"]
  }
}
`,
    );
  }

  /** Replaces the configuration (main.tf) with `hcl`. */
  write(hcl: string): void {
    writeFileSync(path.join(this.dir, 'main.tf'), hcl);
  }

  run(...args: string[]): Promise<TerraformResult> {
    return new Promise((resolve) => {
      execFile(
        'terraform',
        [...args, '-no-color'],
        {
          cwd: this.dir,
          timeout: 240_000,
          maxBuffer: 16 * 1024 * 1024,
          env: {
            PATH: process.env.PATH,
            HOME: this.dir,
            TF_CLI_CONFIG_FILE: this.cliConfig,
            TF_IN_AUTOMATION: '1',
            TF_INPUT: '0',
            CHECKPOINT_DISABLE: '1',
          },
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  /** `terraform output -json` as an object of values. */
  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.run('output', '-json');
    if (result.code !== 0) throw new Error(`terraform output failed: ${result.stderr}`);
    const parsed = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([name, output]) => [name, output.value]));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
