import { Field, ObjectType } from '@nestjs/graphql';

/** Relay's PageInfo. Pages only go forward (`first`/`after`), so hasPreviousPage is always false. */
@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;
  @Field(() => Boolean)
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true })
  startCursor!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page (same arguments, within 24 hours).',
  })
  endCursor!: string | null;
}

/**
 * A Relay page from `first + 1` rows: the extra row only says that another page follows.
 *
 * @example pageOf(['a', 'b', 'c'], 2, (x) => x) // { nodes: ['a', 'b'], edges: […], pageInfo: { hasNextPage: true, endCursor: 'b', … } }
 */
export function pageOf<T>(rows: readonly T[], first: number, cursorOf: (row: T) => string) {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  const pageInfo: PageInfo = {
    hasNextPage: rows.length > first,
    hasPreviousPage: false,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
  return { nodes, edges, pageInfo };
}
