/** What a shadow must copy of a live table, as the catalog describes it (readTableShapes). */
export interface TableShape {
  readonly name: string;
  /** Storage parameters, as `name=value`. */
  readonly options: readonly string[];
  /** Primary key, unique, exclusion and foreign-key constraints (checks and NOT NULL come with LIKE). */
  readonly constraints: readonly ConstraintShape[];
  /** Indexes that back no constraint. */
  readonly indexes: readonly IndexShape[];
  /** Sequences the table owns (identity and serial columns). */
  readonly sequences: readonly SequenceShape[];
  /** Privileges granted to roles other than the owner. */
  readonly grants: readonly GrantShape[];
}

export interface ConstraintShape {
  readonly name: string;
  /** pg_constraint.contype: p, u, x or f. */
  readonly kind: 'p' | 'u' | 'x' | 'f';
  /** pg_get_constraintdef, read with search_path = public (references to public tables unqualified). */
  readonly definition: string;
}

export interface IndexShape {
  readonly name: string;
  readonly unique: boolean;
  /** pg_get_indexdef: `CREATE [UNIQUE] INDEX name ON public.table USING …`. */
  readonly definition: string;
}

export interface SequenceShape {
  readonly column: string;
  readonly name: string;
}

export interface GrantShape {
  /** Quoted role name, or PUBLIC. */
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}
