import { Int } from '@nestjs/graphql';
import { DateTime } from './date-time.scalar';
import { DEFAULT_PAGE, MAX_PAGE } from './query-limits';

/**
 * The argument names every query uses, so that a client learns them once. The same sentences are
 * the arguments' descriptions, so the schema (GraphiQL's docs) states the convention where it applies:
 *
 * - `region` on every query; there is no account argument (the caller's account is the scope).
 * - `aliasName` for an alias name, as the answers' `aliasName` field; `keyId` for a key.
 * - `at` for one point in time; `from` and `to` for the two ends of a span. An omitted `at` or `to` is now.
 * - `first` and `after` page every connection (no `limit`/`nextToken`: those are the REST API's).
 * - A search filter is named after the answer field it matches (`eventName`, `username`, …).
 *
 * Names that broke the convention still work for one release, as deprecated arguments (renamed-argument.ts).
 */

/** The schema's own description (`__schema { description }`, GraphiQL's docs root): the convention above. */
export const SCHEMA_DESCRIPTION =
  'aliastrail: KMS aliases and keys at any point in time, and the audit trail. Conventions: every query takes `region` ' +
  '(the account is always the caller’s); an alias is named by `aliasName`, a key by `keyId`; one point in time is `at`, ' +
  'a span is `from` and `to` (an omitted `at` or `to` is now); a list that can grow is a connection (`edges`, `nodes`, ' +
  '`pageInfo`) paged with `first` (1 to 1000, 100 by default) and `after` (a previous page’s pageInfo.endCursor); a ' +
  'search filter is named after the answer field it matches. Arguments and fields from before these names are ' +
  'deprecated, and go in the next release.';

export const REGION_ARG = {
  description: 'The Region, e.g. us-west-2 (as in the REST paths /api/regions/{region}). The account is the caller’s.',
};

export const ALIAS_NAME = 'An alias name, alias/…';

export const KEY_ID = 'A key id (not an ARN or an alias).';

const AT = 'The point in time; now when omitted.';

export const AT_ARG = { type: () => DateTime, nullable: true, description: AT } as const;

export const REQUIRED_AT_ARG = { type: () => DateTime, description: 'The point in time.' } as const;

export const FIRST_ARG = {
  type: () => Int,
  defaultValue: DEFAULT_PAGE,
  description: `Page size, 1 to ${MAX_PAGE} (${DEFAULT_PAGE} when omitted), as on every connection.`,
} as const;

export const AFTER_ARG = {
  type: () => String,
  nullable: true,
  description: 'The pageInfo.endCursor of the previous page, with the same other arguments.',
} as const;

/** A field whose list became a connection: the old list stays for one release. */
export const wholeListReplacedBy = (replacement: string): string =>
  `The whole list, unpaged: use ${replacement}, the same items a page at a time (first/after). Removed in the next release.`;
