import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The lint rules that keep the architecture (eslint.config.mjs) must fail on the shapes they
 * forbid: each case is linted as if it were the file at `path`, with ESLint's own API in a child
 * process (ESLint is ESM only), and must report `rule` (or nothing, when `rule` is undefined).
 */
const ROOT = join(__dirname, '..', '..');

interface Case {
  readonly name: string;
  readonly path: string;
  readonly code: string;
  readonly rule: string | undefined;
}

const CASES: Case[] = [
  {
    name: 'the KMS domain importing another folder',
    path: 'src/kms/domain/example.ts',
    code: "import type { Principal } from '../../auth/principal';\nexport type X = Principal;\n",
    rule: 'boundaries/dependencies',
  },
  {
    name: 'the KMS domain importing a package',
    path: 'src/kms/domain/example.ts',
    code: "import { z } from 'zod';\nexport const x = z.string();\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'a folder importing one that is not on its list (auth → kms store)',
    path: 'src/auth/example.ts',
    code: "import { KmsWriter } from '../kms/store/kms-writer';\nexport const x = KmsWriter;\n",
    rule: 'boundaries/dependencies',
  },
  {
    name: 'a folder importing back up the map (event store → projections)',
    path: 'src/event-store/example.ts',
    code: "import { ProjectionsService } from '../projections/projections.service';\nexport const x = ProjectionsService;\n",
    rule: 'boundaries/dependencies',
  },
  {
    name: 'a folder importing one on its list (kms store → event store)',
    path: 'src/kms/store/example.ts',
    code: "import { EventStore } from '../../event-store/event-store';\nexport const x = EventStore;\n",
    rule: undefined,
  },
  {
    name: 'SQL on events outside the event store',
    path: 'src/audit/example.ts',
    code: "import { sql } from 'kysely';\nexport const q = sql`select position from events where event_id = ${1}`;\n",
    rule: 'aliastrail/no-events-sql',
  },
  {
    name: 'a Kysely builder on events outside the event store',
    path: 'src/projections/example.ts',
    code: "export const q = (db: { selectFrom(t: string): unknown }) => db.selectFrom('events');\n",
    rule: 'aliastrail/no-events-sql',
  },
  {
    name: 'SQL on events inside the event store',
    path: 'src/event-store/queries/example.ts',
    code: "export const q = 'SELECT position FROM events WHERE event_id = $1';\n",
    rule: undefined,
  },
  {
    name: 'other tables and prose that mention events',
    path: 'src/audit/example.ts',
    code: "export const q = 'SELECT * FROM audit_events';\nexport const m = 'an insert into events could not take its lock';\n",
    rule: undefined,
  },
  {
    name: 'a cycle between two files',
    path: 'src/clock/clock.ts',
    code: "import { ClockModule } from './clock.module';\nexport const x = ClockModule;\n",
    rule: 'import-x/no-cycle',
  },
  {
    name: 'a default export',
    path: 'src/config/example.ts',
    code: 'export default function example(): number {\n  return 1;\n}\n',
    rule: 'no-restricted-syntax',
  },
];

const LINT_TEXTS = `
import { ESLint } from 'eslint';
import { MAY_IMPORT } from './eslint.config.mjs';
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const found = [];
for (const { path, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: process.cwd() + '/' + path });
  found.push(result.messages.map((m) => m.ruleId ?? m.message));
}
process.stdout.write(JSON.stringify({ found, mayImport: MAY_IMPORT }));
`;

const { found, mayImport } = (() => {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT_TEXTS, JSON.stringify(CASES)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { found: string[][]; mayImport: Record<string, string[]> };
})();

describe('the architecture lint rules', () => {
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const { rule } = CASES[i]!;
    if (rule === undefined) expect(found[i]).toEqual([]);
    else expect(found[i]).toContain(rule);
  });
});

/** The README's map: `| \`folder/\` | role | may import |` rows of its "Architecture" section. */
function readmeMap(): Map<string, string[]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Architecture'),
    readme.indexOf('\n## ', readme.indexOf('## Architecture') + 1),
  );
  const rows = [...section.matchAll(/^\| `([a-z/-]+)\/` \|.*\| ([^|]+) \|$/gm)];
  return new Map(
    rows.map(([, folder, imports]) => [
      folder!,
      imports!.startsWith('nothing') ? [] : imports!.split(',').map((name) => name.trim()),
    ]),
  );
}

describe('the README architecture map', () => {
  const map = readmeMap();

  it('lists what each folder may import exactly as the lint rule does', () => {
    expect(Object.fromEntries(map)).toEqual(mayImport);
  });

  it('lists every folder of src/ and no other', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect([...map.keys()].filter((name) => name !== 'kms/domain').sort()).toEqual(folders.sort());
  });
});
