import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type ServiceProcess, ensureBuilt, startServiceProcess } from '../support/service-process';
import { type TestDatabase, createTestDatabase } from '../support/test-database';
import { COMMAND_LANGUAGES, brokenLinks, codeBlocks } from './readme-blocks';

const ROOT = path.resolve(__dirname, '../..');
const README = path.join(ROOT, 'README.md');
const DOCS = fs.existsSync(path.join(ROOT, 'docs'))
  ? fs
      .readdirSync(path.join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => path.join(ROOT, 'docs', name))
  : [];
const readme = fs.readFileSync(README, 'utf8');

/** Runs `script` with bash, stopping at the first failing command. */
function bash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; output: string }>((resolve) =>
    execFile('bash', ['-c', `set -euo pipefail\n${script}`], { cwd, env, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    ),
  );
}

describe('the README and docs/', () => {
  it('link only to files and headings of the repository', () => {
    const broken = [README, ...DOCS].flatMap((file) =>
      brokenLinks(fs.readFileSync(file, 'utf8'), file, ROOT).map((link) => `${path.relative(ROOT, file)}: ${link}`),
    );
    expect(broken).toEqual([]);
  });

  it('cite nothing outside the repository', () => {
    const outside = [README, ...DOCS].flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /\.\.\/shared|shared\/spec|\bspec §|\bdesign §|kms-api\.md|kms-crypto\.md/.test(line)
            ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(outside).toEqual([]);
  });

  it('mark every block of commands as run by this test, or say why not', () => {
    const unmarked = codeBlocks(readme)
      .filter((block) => COMMAND_LANGUAGES.has(block.language) && block.check === undefined)
      .map((block) => `README.md:${block.line}`);
    expect(unmarked).toEqual([]);
  });
});

describe("the README's commands, run against a service started as its set-up says", () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let scratch: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-readme-'));
    const dataDir = path.join(scratch, 'data');
    // No credentials configured: the service generates one, as on a user's first start.
    service = await startServiceProcess({ DATABASE_URL: database.url, ALIASTRAIL_DATA_DIR: dataDir });
    const credential = JSON.parse(fs.readFileSync(path.join(dataDir, 'bootstrap-credentials.json'), 'utf8')) as {
      accessKeyId: string;
      secretAccessKey: string;
    };
    // The user's shell: a home of its own with the `aliastrail` profile the first start told them
    // to configure, the credential in the environment too, and `npm run cli` / `npx aliastrail` as
    // they run in the checkout (already built: ALIASTRAIL_SKIP_BUILD).
    const home = path.join(scratch, 'home');
    const shims = path.join(scratch, 'bin');
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.mkdirSync(shims);
    fs.writeFileSync(
      path.join(home, '.aws', 'credentials'),
      `[aliastrail]\naws_access_key_id = ${credential.accessKeyId}\naws_secret_access_key = ${credential.secretAccessKey}\n`,
    );
    fs.writeFileSync(path.join(home, '.aws', 'config'), '[profile aliastrail]\nregion = us-east-1\n');
    fs.writeFileSync(
      path.join(shims, 'npm'),
      `#!/usr/bin/env bash\n# npm run [-s] <script> -- args, from the checkout\nshift; while [ "\${1#-}" != "$1" ]; do shift; done; script=$1; shift; [ "\${1:-}" = "--" ] && shift\n` +
        `case $script in\n  cli) exec node ${ROOT}/bin/run-built.js dist/src/cli/cli.js "$@";;\n` +
        `  db:migrate) exec node ${ROOT}/bin/run-built.js dist/src/cli/migrate.command.js "$@";;\n` +
        `  *) echo "the README check runs no 'npm run $script'" >&2; exit 2;;\nesac\n`,
      { mode: 0o755 },
    );
    fs.writeFileSync(
      path.join(shims, 'npx'),
      `#!/usr/bin/env bash\n[ "$1" = aliastrail ] || { echo "the README check runs only npx aliastrail" >&2; exit 2; }\nshift\nexec node ${ROOT}/bin/aliastrail.js "$@"\n`,
      { mode: 0o755 },
    );
    env = {
      PATH: `${shims}:${process.env.PATH ?? ''}`,
      HOME: home,
      AWS_ACCESS_KEY_ID: credential.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
      AWS_PAGER: '',
      ALIASTRAIL_SKIP_BUILD: '1',
      ALIASTRAIL_ENDPOINT_URL: service.url,
      DATABASE_URL: database.url,
      ALIASTRAIL_DATA_DIR: dataDir,
    };
  }, 180_000);
  afterAll(async () => {
    await service?.stop();
    await database?.drop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  // In README order: a later block may use what an earlier one made (an alias, a key).
  const runnable = codeBlocks(readme).filter((block) => block.check?.kind === 'run');

  it('has blocks to run', () => expect(runnable.length).toBeGreaterThan(0));

  it.each(runnable.map((block) => [block.line, block] as const))(
    'runs the block at README.md:%i',
    async (_, block) => {
      const port = new URL(service.url).port;
      // The README's examples name the default address; the service under test has a port of its own.
      const script = block.text.replace(/(127\.0\.0\.1|localhost):3000/g, `127.0.0.1:${port}`);
      const work = fs.mkdtempSync(path.join(scratch, 'work-'));
      const { code, output } = await bash(script, work, env);
      if (code !== 0) throw new Error(`README.md:${block.line} failed (exit ${code}):\n${script}\n---\n${output}`);
    },
    180_000,
  );
});
