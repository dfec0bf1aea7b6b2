import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql } from 'kysely';
import { runMigrations } from '../../src/database/migrator';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

describe('function files (db/functions), applied again when they change', () => {
  let database: TestDatabase;
  let dir: string;
  let migrations: string;
  let functions: string;

  const writeFunction = (answer: number) =>
    fs.writeFileSync(
      path.join(functions, 'answer.sql'),
      `CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT ${answer}';`,
    );
  const migrate = async () => {
    const log: string[] = [];
    const applied = await runMigrations(database.url, {
      directory: migrations,
      functionsDirectory: functions,
      log: (line) => log.push(line),
    });
    return { applied, log };
  };
  const answer = async () => (await sql<{ a: number }>`SELECT answer() AS a`.execute(database.db)).rows[0]!.a;

  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-functions-'));
    migrations = path.join(dir, 'migrations');
    functions = path.join(dir, 'functions');
    fs.mkdirSync(migrations);
    fs.mkdirSync(functions);
    fs.writeFileSync(path.join(migrations, '0001_first.sql'), 'CREATE TABLE first (id int PRIMARY KEY);');
    writeFunction(1);
  });
  afterEach(async () => {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies a file after the migrations, then again only when its text changed', async () => {
    expect(await migrate()).toEqual({
      applied: ['0001_first.sql'],
      log: ['applied migration 0001_first.sql', 'applied function file answer.sql'],
    });
    expect(await answer()).toBe(1);
    // An unchanged start logs nothing: CI's smoke test reads any "applied migration" as a change.
    expect(await migrate()).toEqual({ applied: [], log: [] });
    writeFunction(2);
    expect(await migrate()).toEqual({ applied: [], log: ['applied function file answer.sql'] });
    expect(await answer()).toBe(2);
  });

  it('lets only one of 8 concurrent start-ups apply a changed file', async () => {
    await migrate();
    writeFunction(3);
    const runs = await Promise.all(Array.from({ length: 8 }, migrate));
    expect(runs.flatMap((run) => run.log)).toEqual(['applied function file answer.sql']);
    expect(await answer()).toBe(3);
  });

  it('rolls back a failing file whole, keeps its previous body and records nothing for it', async () => {
    await migrate();
    fs.writeFileSync(
      path.join(functions, 'answer.sql'),
      `CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 4'; SELECT no_such_function();`,
    );
    await expect(migrate()).rejects.toThrow(/function file answer\.sql failed/);
    expect(await answer()).toBe(1);
    writeFunction(5); // the fixed file goes in at the next start
    expect((await migrate()).log).toEqual(['applied function file answer.sql']);
    expect(await answer()).toBe(5);
  });
});

describe('the project database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('runs the bodies of db/functions, recorded with their checksums', async () => {
    const { rows } = await sql<{ file_name: string; checksum: string }>`
      SELECT file_name, checksum FROM schema_functions ORDER BY file_name`.execute(database.db);
    expect(rows.map((r) => r.file_name)).toEqual(
      fs.readdirSync(path.join(__dirname, '../../db/functions')).filter((f) => f.endsWith('.sql')).sort(),
    );
    const trigger = await sql<{ d: string }>`
      SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE tgname = 'kms_current_apply'`.execute(database.db);
    expect(trigger.rows[0]!.d).toContain('kms_event_types()');
  });
});
