import {
  deferredSql,
  quoteIdent,
  shadowKeysSql,
  shadowSchemaOf,
  shadowTablesSql,
  swapSql,
  vacuumSql,
} from './shadow-ddl';
import type { TableShape } from './table-shape';

const ids: TableShape = {
  name: 'temporal_alias_ids',
  options: ['fillfactor=90'],
  constraints: [
    { name: 'temporal_alias_ids_pkey', kind: 'p', definition: 'PRIMARY KEY (alias_id)' },
    { name: 'temporal_alias_ids_name_key', kind: 'u', definition: 'UNIQUE (account_id, region, alias_name)' },
  ],
  indexes: [],
  sequences: [{ column: 'alias_id', name: 'temporal_alias_ids_alias_id_seq' }],
  grants: [{ grantee: 'reader', privilege: 'SELECT', grantable: false }],
};

const versions: TableShape = {
  name: 'temporal_alias_versions',
  options: [],
  constraints: [
    { name: 'temporal_alias_versions_pkey', kind: 'p', definition: 'PRIMARY KEY (alias_id, version)' },
    {
      name: 'temporal_alias_versions_alias_id_fkey',
      kind: 'f',
      definition: 'FOREIGN KEY (alias_id) REFERENCES temporal_alias_ids(alias_id)',
    },
  ],
  indexes: [
    {
      name: 'temporal_alias_versions_open_idx',
      unique: true,
      definition:
        'CREATE UNIQUE INDEX temporal_alias_versions_open_idx ON public.temporal_alias_versions USING btree (alias_id) WHERE (valid_to IS NULL)',
    },
    {
      name: 'temporal_alias_versions_key_idx',
      unique: false,
      definition:
        'CREATE INDEX temporal_alias_versions_key_idx ON public.temporal_alias_versions USING btree (key_id, valid_from)',
    },
  ],
  sequences: [],
  grants: [],
};

describe('shadow DDL', () => {
  it('names the shadow schema after the projection, and refuses names that are not plain identifiers', () => {
    expect(shadowSchemaOf('temporal')).toBe('rebuild_temporal');
    expect(() => shadowSchemaOf('Temporal; DROP TABLE events')).toThrow(/cannot rebuild/);
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });

  it('creates the tables with LIKE, options and grants; then the constraints and unique indexes under their live names', () => {
    expect(shadowTablesSql('rebuild_temporal', [ids, versions])).toEqual([
      'CREATE SCHEMA "rebuild_temporal"',
      'CREATE TABLE "rebuild_temporal"."temporal_alias_ids" (LIKE "public"."temporal_alias_ids" INCLUDING ALL EXCLUDING INDEXES)',
      'ALTER TABLE "rebuild_temporal"."temporal_alias_ids" SET (fillfactor=90)',
      'GRANT SELECT ON "rebuild_temporal"."temporal_alias_ids" TO reader',
      'CREATE TABLE "rebuild_temporal"."temporal_alias_versions" (LIKE "public"."temporal_alias_versions" INCLUDING ALL EXCLUDING INDEXES)',
    ]);
    expect(shadowKeysSql('rebuild_temporal', [ids, versions])).toEqual([
      'ALTER TABLE "rebuild_temporal"."temporal_alias_ids" ADD CONSTRAINT "temporal_alias_ids_pkey" PRIMARY KEY (alias_id)',
      'ALTER TABLE "rebuild_temporal"."temporal_alias_ids" ADD CONSTRAINT "temporal_alias_ids_name_key" UNIQUE (account_id, region, alias_name)',
      'ALTER TABLE "rebuild_temporal"."temporal_alias_versions" ADD CONSTRAINT "temporal_alias_versions_pkey" PRIMARY KEY (alias_id, version)',
      'CREATE UNIQUE INDEX "temporal_alias_versions_open_idx" ON "rebuild_temporal"."temporal_alias_versions" USING btree (alias_id) WHERE (valid_to IS NULL)',
    ]);
  });

  it('leaves plain indexes and foreign keys for after the replay, then vacuums and analyzes', () => {
    expect(deferredSql('rebuild_temporal', [ids, versions])).toEqual([
      'CREATE INDEX "temporal_alias_versions_key_idx" ON "rebuild_temporal"."temporal_alias_versions" USING btree (key_id, valid_from)',
      'ALTER TABLE "rebuild_temporal"."temporal_alias_versions" ADD CONSTRAINT "temporal_alias_versions_alias_id_fkey" FOREIGN KEY (alias_id) REFERENCES temporal_alias_ids(alias_id)',
    ]);
    expect(vacuumSql('rebuild_temporal', [ids, versions])).toEqual([
      'VACUUM (ANALYZE) "rebuild_temporal"."temporal_alias_ids"',
      'VACUUM (ANALYZE) "rebuild_temporal"."temporal_alias_versions"',
    ]);
  });

  it('swaps by dropping the live tables in one statement, moving the shadows, and giving sequences their names back', () => {
    const shadowSequences = new Map([
      ['temporal_alias_ids', [{ column: 'alias_id', name: 'temporal_alias_ids_alias_id_seq1' }]],
    ]);
    expect(swapSql('rebuild_temporal', [ids, versions], shadowSequences)).toEqual([
      'DROP TABLE "public"."temporal_alias_ids", "public"."temporal_alias_versions"',
      'ALTER TABLE "rebuild_temporal"."temporal_alias_ids" SET SCHEMA public',
      'ALTER TABLE "rebuild_temporal"."temporal_alias_versions" SET SCHEMA public',
      'ALTER SEQUENCE "public"."temporal_alias_ids_alias_id_seq1" RENAME TO "temporal_alias_ids_alias_id_seq"',
      'DROP SCHEMA "rebuild_temporal" CASCADE',
    ]);
    const same = new Map([['temporal_alias_ids', ids.sequences]]);
    expect(swapSql('rebuild_temporal', [ids], same).some((s) => s.startsWith('ALTER SEQUENCE'))).toBe(false);
  });
});
