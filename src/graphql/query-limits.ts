/**
 * The limits every GraphQL request is held to, so that no single request can ask the database or
 * the serializer for an unbounded amount of work.
 */

/** The largest page a connection serves (the REST API's `limit` has the same bound). */
export const MAX_PAGE = 1000;

/** The page size of a connection when `first` is not given. */
export const DEFAULT_PAGE = 100;

/**
 * Selection depth. Data queries on this schema are at most 6 deep (it has no cycles), but GraphiQL's
 * introspection query (graphql-js `getIntrospectionQuery`) is 15 deep, and introspection types are
 * cyclic (`__Type.fields.type.fields…`), which is what this bound stops.
 */
export const MAX_DEPTH = 15;

/**
 * The cost a query may have (see query-complexity.ts): one full page of 1000 alias versions with
 * every field fits; two such pages in one request do not.
 */
export const MAX_COMPLEXITY = 50_000;

/** What a field that opens its own database snapshot costs on top of its results. */
export const DATABASE_FIELD_COST = 100;

/** The assumed length of a list without `first`, and the least assumed of a deprecated whole list (a history's `versions`). */
export const LIST_ESTIMATE = 10;

/** Parsing stops at this many tokens, before a huge document costs memory or validation time. */
export const MAX_TOKENS = 10_000;
