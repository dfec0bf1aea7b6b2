import * as os from 'node:os';
import * as path from 'node:path';
import type { GraphQLError } from 'graphql';
import { SystemClock } from '../clock/clock';
import type { Config } from '../config/config';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { type ListPage, type ListPaging, listPage } from './list-page';

const tokens = new PageTokens(
  { ledgerKeyFile: path.join(os.tmpdir(), 'list-page-spec', 'ledger-signing-key.pem') } as Config,
  new SystemClock(),
);

const byName = (binding: unknown, follows = true): ListPaging<string> => ({
  use: { listing: 'test:names', binding },
  keyOf: (name) => name,
  ...(follows ? { follows: (name: string, key: string) => name > key } : {}),
});

/** Every page of `rows`, `first` at a time, as lists of nodes. */
function pages(paging: ListPaging<string>, rows: readonly string[], first: number): string[][] {
  const all: string[][] = [];
  let after: string | null = null;
  do {
    const page: ListPage<string> = listPage(tokens, paging, rows, first, after);
    all.push(page.nodes);
    expect(page.edges.map((e) => e.node)).toEqual(page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return all;
}

describe('listPage', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];

  it('pages a whole list in order, with Relay page info', () => {
    expect(pages(byName('x'), names, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(pages(byName('x'), names, 5)).toEqual([names]);
    expect(pages(byName('x'), [], 5)).toEqual([[]]);
    const first = listPage(tokens, byName('x'), names, 2, undefined);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.startCursor).toBe(first.edges[0]!.cursor);
  });

  it('resumes after the cursor’s row wherever it now stands, or after where it stood', () => {
    const cursor = listPage(tokens, byName('x'), names, 2, undefined).pageInfo.endCursor;
    expect(listPage(tokens, byName('x'), ['0', ...names], 2, cursor).nodes).toEqual(['c', 'd']);
    // "b" is gone: the page goes on from what follows it.
    expect(listPage(tokens, byName('x'), ['a', 'c', 'd'], 2, cursor).nodes).toEqual(['c', 'd']);
    expect(() => listPage(tokens, byName('x', false), ['a', 'c'], 2, cursor)).toThrow(/no longer in this list/);
  });

  it('refuses a cursor of another listing or binding, and a bad page size', () => {
    const cursor = listPage(tokens, byName('x'), names, 2, undefined).pageInfo.endCursor;
    for (const other of [byName('y'), { ...byName('x'), use: { listing: 'test:other', binding: 'x' } }])
      try {
        listPage(tokens, other, names, 2, cursor);
        throw new Error('accepted');
      } catch (error) {
        expect((error as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'InvalidCursor' });
      }
    expect(() => listPage(tokens, byName('x'), names, 0, undefined)).toThrow(/first must be between 1 and 1000/);
  });
});
