import type { TableShape } from './table-shape';

/** The public schema, where every projection's live tables are. */
export const LIVE_SCHEMA = 'public';

/** `rebuild_<projection>`: the schema a rebuild builds its shadow tables in, its own alone. */
export function shadowSchemaOf(projection: string): string {
  if (!/^[a-z][a-z0-9_]{0,50}$/.test(projection))
    throw new Error(`cannot rebuild ${JSON.stringify(projection)}: a projection name is lower-case letters, digits, _`);
  return `rebuild_${projection}`;
}

/** An identifier, always quoted: right for any name, keywords included. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/** The index in another schema: pg_get_indexdef with its table re-pointed (the name stays). */
function indexIn(schema: string, table: string, index: { name: string; unique: boolean; definition: string }) {
  const using = index.definition.indexOf(' USING ');
  if (using < 0) throw new Error(`unexpected index definition: ${index.definition}`);
  return (
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${qualified(schema, table)}` +
    index.definition.slice(using)
  );
}

/**
 * Creates the shadow schema and tables: columns, defaults, identity (a fresh sequence, so ids start
 * over as in the live table's first life), checks and NOT NULL from LIKE, storage options and grants.
 * Their keys come next (shadowKeysSql): before a replay, or after a set-based load, which then
 * builds each unique index once over the loaded rows instead of keeping it up row by row.
 *
 * @example shadowTablesSql('rebuild_temporal', shapes)[0] // 'CREATE SCHEMA "rebuild_temporal"'
 */
export function shadowTablesSql(schema: string, tables: readonly TableShape[]): string[] {
  const statements = [`CREATE SCHEMA ${quoteIdent(schema)}`];
  for (const table of tables) {
    const shadow = qualified(schema, table.name);
    statements.push(
      `CREATE TABLE ${shadow} (LIKE ${qualified(LIVE_SCHEMA, table.name)} INCLUDING ALL EXCLUDING INDEXES)`,
    );
    if (table.options.length > 0) statements.push(`ALTER TABLE ${shadow} SET (${table.options.join(', ')})`);
    for (const grant of table.grants)
      statements.push(
        `GRANT ${grant.privilege} ON ${shadow} TO ${grant.grantee}${grant.grantable ? ' WITH GRANT OPTION' : ''}`,
      );
  }
  return statements;
}

/**
 * The shadow's constraints and unique indexes, under their live names: those a projection's SQL may
 * rely on (ON CONFLICT ON CONSTRAINT names one) or that keep the model sound. Index and constraint
 * names are per schema, so the originals are free there, and after the swap every name is what it
 * was: later migrations that name an index or constraint keep working. Plain indexes and foreign
 * keys come last (deferredSql): built once over the finished table, they cost far less than kept
 * up row by row.
 */
export function shadowKeysSql(schema: string, tables: readonly TableShape[]): string[] {
  return tables.flatMap((table) => [
    ...table.constraints
      .filter((c) => c.kind !== 'f')
      .map((c) => `ALTER TABLE ${qualified(schema, table.name)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`),
    ...table.indexes.filter((i) => i.unique).map((i) => indexIn(schema, table.name, i)),
  ]);
}

/**
 * What the shadow still lacks once replayed: plain indexes and foreign keys. Run with the
 * shadow schema first on the search_path: a foreign key names its referenced table unqualified
 * when it is in public, and so finds the shadow of a table of the same projection.
 */
export function deferredSql(schema: string, tables: readonly TableShape[]): string[] {
  return [
    ...tables.flatMap((table) => table.indexes.filter((i) => !i.unique).map((i) => indexIn(schema, table.name, i))),
    ...tables.flatMap((table) =>
      table.constraints
        .filter((c) => c.kind === 'f')
        .map(
          (c) => `ALTER TABLE ${qualified(schema, table.name)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`,
        ),
    ),
  ];
}

/**
 * Then, outside any transaction (VACUUM refuses one): statistics, so that readers get good plans
 * from their first query on the swapped-in tables, and the visibility map, so that their index-only
 * scans (a page of aliases at T skips absent names inside an index) need not visit the heap. Nothing
 * else may vacuum the tables soon: autovacuum may be off or slow to come.
 */
export function vacuumSql(schema: string, tables: readonly TableShape[]): string[] {
  return tables.map((table) => `VACUUM (ANALYZE) ${qualified(schema, table.name)}`);
}

/**
 * The swap, inside the transaction that holds the live tables in ACCESS EXCLUSIVE mode: the live
 * tables go (in one statement, so references among them do not matter; any other object that
 * depends on them stops it, as nothing outside the projection may be dropped silently), the
 * shadows move to public with their indexes, constraints and sequences, and each sequence gets
 * its live name back where LIKE chose another.
 *
 * @param shadowSequences the shadow tables' own sequences, by table name
 */
export function swapSql(
  schema: string,
  live: readonly TableShape[],
  shadowSequences: ReadonlyMap<string, readonly { column: string; name: string }[]>,
): string[] {
  const statements = [`DROP TABLE ${live.map((t) => qualified(LIVE_SCHEMA, t.name)).join(', ')}`];
  for (const table of live) statements.push(`ALTER TABLE ${qualified(schema, table.name)} SET SCHEMA ${LIVE_SCHEMA}`);
  for (const table of live) {
    for (const sequence of shadowSequences.get(table.name) ?? []) {
      const original = table.sequences.find((s) => s.column === sequence.column);
      if (original && original.name !== sequence.name)
        statements.push(
          `ALTER SEQUENCE ${qualified(LIVE_SCHEMA, sequence.name)} RENAME TO ${quoteIdent(original.name)}`,
        );
    }
  }
  statements.push(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
  return statements;
}
