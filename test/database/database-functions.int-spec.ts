import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/database/database.types';
import { defaultFunctionsDirectory, defaultMigrationsDirectory, runMigrations } from '../../src/database/migrator';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * Requirement: every function, trigger and view is written once, in db/functions (README "Database
 * functions"). The migrations that first created them stay as they were; a fresh database runs
 * them, then the function files replace their bodies.
 */

type Kind = 'function' | 'trigger' | 'view';

/** What each file of db/functions creates, by kind and name (comments left out). */
function objectsOfFunctionFiles(): Map<string, string> {
  const directory = defaultFunctionsDirectory();
  const created = new Map<string, string>(); // "<kind> <name>" -> file
  for (const file of fs.readdirSync(directory).filter((name) => name.endsWith('.sql'))) {
    const text = fs.readFileSync(path.join(directory, file), 'utf8').replace(/--[^\n]*/g, '');
    // CONSTRAINT TRIGGER: PostgreSQL cannot replace one, so its file drops and creates it (event_time_cap.sql).
    const statements =
      /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(FUNCTION|AGGREGATE|TRIGGER|VIEW)\s+([a-z_][a-z0-9_]*)/gi;
    for (const [, keyword, name] of text.matchAll(statements)) {
      const kind: Kind = /^(function|aggregate)$/i.test(keyword!) ? 'function' : (keyword!.toLowerCase() as Kind);
      const key = `${kind} ${name!.toLowerCase()}`;
      const other = created.get(key);
      if (other !== undefined && other !== file) throw new Error(`${key} is created by both ${other} and ${file}`);
      created.set(key, file);
    }
  }
  return created;
}

interface CatalogObject {
  readonly kind: Kind;
  readonly name: string;
  /** Unique within its kind: a function's signature, a trigger's table and name, a view's name. */
  readonly identity: string;
  readonly definition: string;
  readonly oid: string;
}

/**
 * The functions of the public schema (extensions' left out), every trigger that is not a
 * constraint's internal one, and the views of the public schema, with their definitions as
 * PostgreSQL prints them. An aggregate has no pg_get_functiondef: its pg_aggregate row stands in.
 */
async function catalog(db: Kysely<Database>): Promise<CatalogObject[]> {
  const { rows } = await sql<CatalogObject>`
    SELECT 'function' AS kind, p.proname AS name, p.oid::regprocedure::text AS identity, p.oid::text AS oid,
           CASE WHEN p.prokind = 'a'
                THEN format('AGGREGATE %s %s', p.oid::regprocedure,
                            (SELECT row_to_json(a) FROM pg_aggregate a WHERE a.aggfnoid = p.oid))
                ELSE pg_get_functiondef(p.oid) END AS definition
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND NOT EXISTS (SELECT FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'trigger', t.tgname, format('%s on %s', t.tgname, t.tgrelid::regclass), t.oid::text,
           format('%s (enabled: %s)', pg_get_triggerdef(t.oid), t.tgenabled)
      FROM pg_trigger t
     WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'view', c.relname, c.relname, c.oid::text, pg_get_viewdef(c.oid)
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v'
     ORDER BY 1, 3`.execute(db);
  return rows;
}

const byIdentity = (objects: readonly CatalogObject[]) =>
  new Map(objects.map((object) => [`${object.kind} ${object.identity}`, object]));

/**
 * The files whose bodies were changed after they took over from the migrations: their objects may
 * differ from what the migrations alone create. A file that changes a body the migrations made is
 * added here; the objects of every other file must be exactly the migrations' (moving a body into a
 * file changes nothing).
 */
const CHANGED_SINCE_MIGRATIONS = new Set([
  'kms_current.sql',
  'kms_unit_read.sql',
  'audit_events.sql',
  'event_time_cap.sql',
]);

describe('database functions (db/functions)', () => {
  const files = objectsOfFunctionFiles();

  describe('a freshly migrated database', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('has no function, trigger or view that no file of db/functions creates', async () => {
      const objects = await catalog(database.db);
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.filter((o) => !files.has(`${o.kind} ${o.name}`)).map((o) => `${o.kind} ${o.identity}`)).toEqual(
        [],
      );
    });

    it('has everything the files create (the names read from them are real)', async () => {
      const present = new Set((await catalog(database.db)).map((o) => `${o.kind} ${o.name}`));
      expect([...files.keys()].filter((key) => !present.has(key))).toEqual([]);
    });
  });

  describe('compared with the migrations alone', () => {
    let migrationsOnly: TestDatabase;
    let withFiles: TestDatabase;
    beforeAll(async () => {
      [migrationsOnly, withFiles] = await Promise.all([
        createTestDatabase({ migrated: false }),
        createTestDatabase({ migrated: false }),
      ]);
      // `directory` alone applies no function file.
      await runMigrations(migrationsOnly.url, { directory: defaultMigrationsDirectory() });
      await runMigrations(withFiles.url, {
        directory: defaultMigrationsDirectory(),
        functionsDirectory: defaultFunctionsDirectory(),
      });
    });
    afterAll(() => Promise.all([migrationsOnly.drop(), withFiles.drop()]));

    it('replaces every body the migrations made with an identical one', async () => {
      const before = await catalog(migrationsOnly.db);
      const after = byIdentity(await catalog(withFiles.db));
      expect(before.length).toBeGreaterThan(0);
      const differing = before
        .filter((object) => !CHANGED_SINCE_MIGRATIONS.has(files.get(`${object.kind} ${object.name}`) ?? ''))
        .filter((object) => after.get(`${object.kind} ${object.identity}`)?.definition !== object.definition)
        .map((object) => ({
          object: `${object.kind} ${object.identity}`,
          migrations: object.definition,
          files: after.get(`${object.kind} ${object.identity}`)?.definition,
        }));
      expect(differing).toEqual([]);
      // Nothing the migrations made is gone, whichever file now holds it.
      expect(before.map((o) => `${o.kind} ${o.identity}`).filter((key) => !after.has(key))).toEqual([]);
    });

    it('changes nothing when the files are applied again', async () => {
      const once = await catalog(withFiles.db);
      // As if every file had changed: the migrator applies them all again, each in its transaction.
      await sql`DELETE FROM schema_functions`.execute(withFiles.db);
      const log: string[] = [];
      await runMigrations(withFiles.url, {
        directory: defaultMigrationsDirectory(),
        functionsDirectory: defaultFunctionsDirectory(),
        log: (line) => log.push(line),
      });
      const fileNames = fs
        .readdirSync(defaultFunctionsDirectory())
        .filter((name) => name.endsWith('.sql'))
        .sort();
      expect(log).toEqual(fileNames.map((file) => `applied function file ${file}`));
      // The same definitions on the same objects (oids included: nothing was dropped and created
      // again, not even the constraint trigger that event_time_cap.sql can only drop and create).
      expect(await catalog(withFiles.db)).toEqual(once);
    });
  });
});
