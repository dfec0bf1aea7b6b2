-- KMS key material (design §9): one row per key and material version, the material wrapped under
-- the root key (src/kms/material/material-wrapper.ts), which never enters the database.
--
-- Material never enters `events`: events are immutable, exported and kept forever, and material
-- must be destroyable. A row is written in the same transaction as the event that creates its
-- version (KeyCreated, KeyMaterialRotated), and a key's rows are deleted in the transaction of its
-- KeyDeleted; the SQL of both is src/kms/material/key-material-sql.ts. No foreign key to kms_keys:
-- that table is a projection, which a rebuild replaces, and this one is not rebuildable from
-- anything.
CREATE TABLE kms_key_material (
  account_id  text NOT NULL,
  region      text NOT NULL,
  key_id      text NOT NULL,
  version     integer NOT NULL CHECK (version >= 1),
  -- IV ‖ ciphertext ‖ tag for the root-key wrapper; opaque here, so another wrapper can store its own.
  wrapped     bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, region, key_id, version)
);

COMMENT ON TABLE kms_key_material IS
  'Wrapped KMS key material, one row per key and version. Never copied into events (which are kept forever); deleted with the key, in the transaction of its KeyDeleted event. Not rebuildable: back it up with the root key.';
