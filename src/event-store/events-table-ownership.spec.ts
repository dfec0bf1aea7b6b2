import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/*
 * The event store owns `events` (issue 13, requirement 2): every statement that reads or writes it
 * lives under src/event-store/, behind named functions the features call, so that the table's
 * invariants (append-only, the snapshot barrier) are kept in one folder. db/ (migrations and
 * functions), test/ and unit specs (*.spec.ts, whose strings are test data, not statements) are not
 * scanned: the schema is written there, and tests check it with SQL of their own.
 */

const SRC = join(__dirname, '..');
const OWNER = `event-store${sep}`;

/**
 * SQL that names the `events` table: a keyword before it (FROM, JOIN, INTO, UPDATE, TABLE, COPY),
 * schema-qualified or quoted or not, or a Kysely builder given it. `\b` keeps `kms_events` and
 * `audit_events` out; comments are removed first, so prose about events is not SQL. Keywords count
 * in upper case anywhere (this code's SQL style), and in any case inside a `sql` template, so that a
 * message such as 'an insert into events could not take its lock' is not taken for a statement.
 */
const KEYWORD_EVENTS = String.raw`\b(?:FROM|JOIN|INTO|UPDATE|TABLE|COPY)\s+(?:ONLY\s+)?(?:public\.)?"?events"?(?![\w.(])`;
const NAMES_EVENTS = [
  new RegExp(KEYWORD_EVENTS),
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto|replaceInto)\(\s*['"`](?:public\.)?events\b/,
];

/** TypeScript comments and SQL `-- ` comments removed; a `//` after a colon or quote (URLs) is kept. */
function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
    .replace(/(^|\s)--\s.*$/gm, '$1');
}

const ANY_CASE = new RegExp(KEYWORD_EVENTS, 'i');
/** The text of each `sql` tagged template, up to its first nested template or its end. */
const SQL_TEMPLATE = /\bsql(?:<[^`]*?>)?`([^`]*)`?/g;

function namesEvents(source: string): string[] {
  const code = withoutComments(source);
  const lines = code.split('\n').filter((line) => NAMES_EVENTS.some((pattern) => pattern.test(line)));
  const templates = [...code.matchAll(SQL_TEMPLATE)].map((m) => m[1]!).filter((text) => ANY_CASE.test(text));
  return [...lines, ...templates.map((text) => text.replace(/\s+/g, ' ').trim().slice(0, 160))];
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the events table', () => {
  it('is named in SQL only under src/event-store/', () => {
    const outside = typeScriptFiles(SRC)
      .filter((path) => !relative(SRC, path).startsWith(OWNER) && !path.endsWith('.spec.ts'))
      .flatMap((path) =>
        namesEvents(readFileSync(path, 'utf8')).map((line) => `${relative(SRC, path)}: ${line.trim()}`),
      );
    expect(outside).toEqual([]);
  });

  it('is found however the SQL is written, and not in comments, prose or other tables', () => {
    const found = [
      'sql`SELECT position FROM events WHERE event_id = ${id}`',
      '`COPY (SELECT ${COLUMNS} FROM events\n WHERE position IN (1))`',
      'JOIN events c ON c.position = m.created',
      'LEFT JOIN public.events d ON true',
      'INSERT INTO events (event_id) VALUES ($1)',
      'sql`update "events" set type = 1`',
      'sql`\n  select 1\n    from events\n`',
      "db.selectFrom('events').selectAll()",
      "trx.insertInto('events').values(rows)",
      'FROM events e, unnest(ARRAY[e.tags]) AS t(tag)',
    ];
    const missed = [
      '// reads from events this process committed',
      '/** The events an audit page is built from events */',
      'sql`SELECT * FROM audit_events WHERE seq = 1`',
      'sql`INSERT INTO kms_events_log VALUES (1)`',
      "throw new Error('2 alias events do not follow from the ones before them')",
      'const { rows } = await sql<{ events: string }>`SELECT count(*) AS events FROM covered`',
      'eventStore.readAll({ after }); // count of events',
      "help: '1 when an insert into events could not take its lock now',",
      "  -- the events table's columns, FROM events",
    ];
    expect(found.filter((source) => namesEvents(source).length === 0)).toEqual([]);
    expect(missed.filter((source) => namesEvents(source).length > 0)).toEqual([]);
  });
});
