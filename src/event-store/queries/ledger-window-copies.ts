/*
 * The COPY statements by which verify's window reader (ledger/verify/ledger-window.ts, in worker
 * threads) reads `events` in binary form: built here, in the event store, which owns every
 * statement on the table. COPY takes no parameters, so values are inlined: each must be a decimal
 * integer (positions; transaction ids as xid8 text), which the caller has checked or decoded.
 * This file imports nothing, so that a worker thread loads no more than it needs.
 */

/** The events in the stretch of the log after `from` up to and including `upTo`, by that index. */
export function copyEventsBetween(
  columns: string,
  from: { readonly tx: string; readonly pos: string },
  upTo: { readonly tx: string; readonly pos: number | string },
): string {
  return `COPY (SELECT ${columns} FROM events
            WHERE (transaction_id, position) > ('${from.tx}'::xid8, ${from.pos}::bigint)
              AND (transaction_id, position) <= ('${upTo.tx}'::xid8, ${upTo.pos}::bigint)) TO STDOUT (FORMAT binary)`;
}

/** The events at these positions (the caller inlines them as checked decimal text). */
export function copyEventsAt(columns: string, positions: readonly string[]): string {
  return `COPY (SELECT ${columns} FROM events WHERE position IN (${positions.join(', ')})) TO STDOUT (FORMAT binary)`;
}
