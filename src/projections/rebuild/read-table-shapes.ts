import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { ConstraintShape, GrantShape, IndexShape, SequenceShape, TableShape } from './table-shape';

interface ShapeRow {
  name: string;
  found: boolean;
  options: string[];
  constraints: ConstraintShape[];
  indexes: IndexShape[];
  sequences: SequenceShape[];
  grants: GrantShape[];
  triggers: number;
  policies: boolean;
  referenced_by: string[];
}

/** A table a rebuild cannot copy faithfully, or may not drop; nothing was changed. */
export class RebuildRefused extends Error {
  override readonly name = 'RebuildRefused';
}

/**
 * Describes `tables` in `schema` from the catalog, in the order given. Definitions are printed with
 * the search_path set to public alone, so a foreign key names a public table unqualified (the
 * shadow's search_path then resolves it to the shadow). Refuses what a shadow built with LIKE would
 * lose or a swap would break: a missing table, triggers, row security, or a foreign key from a table
 * outside the set (dropping the live table would need CASCADE, which would drop that key silently).
 */
export async function readTableShapes(
  trx: Transaction<Database>,
  schema: string,
  tables: readonly string[],
): Promise<TableShape[]> {
  await sql`SET LOCAL search_path = public`.execute(trx);
  const { rows } = await sql<ShapeRow>`
    WITH wanted AS (
      SELECT t.name, t.ord, to_regclass(format('%I.%I', ${schema}::text, t.name)) AS oid
        FROM unnest(${[...tables]}::text[]) WITH ORDINALITY AS t(name, ord))
    SELECT w.name, c.oid IS NOT NULL AS found, coalesce(c.reloptions, '{}') AS options,
      (SELECT coalesce(json_agg(json_build_object('name', k.conname, 'kind', k.contype,
                                                 'definition', pg_get_constraintdef(k.oid)) ORDER BY k.conname), '[]')
         FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x', 'f')) AS constraints,
      (SELECT coalesce(json_agg(json_build_object('name', ic.relname, 'unique', i.indisunique,
                                                 'definition', pg_get_indexdef(i.indexrelid)) ORDER BY ic.relname), '[]')
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                           WHERE k.conrelid = c.oid AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))) AS indexes,
      (SELECT coalesce(json_agg(json_build_object('column', a.attname, 'name', s.relname) ORDER BY a.attnum), '[]')
         FROM pg_depend d
         JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.refobjid = c.oid AND d.deptype IN ('a', 'i')) AS sequences,
      (SELECT coalesce(json_agg(json_build_object(
                'grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END,
                'privilege', x.privilege_type, 'grantable', x.is_grantable)), '[]')
         FROM aclexplode(c.relacl) x WHERE x.grantee <> c.relowner) AS grants,
      (SELECT count(*)::int FROM pg_trigger g WHERE g.tgrelid = c.oid AND NOT g.tgisinternal) AS triggers,
      coalesce(c.relrowsecurity OR EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid), false) AS policies,
      ARRAY(SELECT f.conname || ' on ' || f.conrelid::regclass::text FROM pg_constraint f
             WHERE f.contype = 'f' AND f.confrelid = c.oid
               AND f.conrelid NOT IN (SELECT oid FROM wanted WHERE oid IS NOT NULL)) AS referenced_by
      FROM wanted w LEFT JOIN pg_class c ON c.oid = w.oid
     ORDER BY w.ord`.execute(trx);
  for (const row of rows) {
    const where = `${schema}.${row.name}`;
    if (!row.found) throw new RebuildRefused(`table ${where} does not exist`);
    if (row.triggers > 0) throw new RebuildRefused(`${where} has triggers, which a shadow table would not copy`);
    if (row.policies) throw new RebuildRefused(`${where} has row security, which a shadow table would not copy`);
    if (row.referenced_by.length > 0)
      throw new RebuildRefused(`${where} is referenced from outside its projection: ${row.referenced_by.join(', ')}`);
  }
  return rows.map(({ name, options, constraints, indexes, sequences, grants }) => ({
    name,
    options,
    constraints,
    indexes,
    sequences,
    grants,
  }));
}
