import { GraphQLError, buildSchema, parse, specifiedRules, validate } from 'graphql';
import { complexityLimit } from './query-complexity';
import { LIST_ESTIMATE, MAX_PAGE } from './query-limits';

const schema = buildSchema(`
  type Query { page(first: Int = 100): Connection!  item: Item!  items: [Item!]! }
  type Connection { position: String!  edges: [Edge!]!  nodes: [Item!]!  all: [Item!]! @deprecated(reason: "Use nodes.") }
  type Edge { cursor: String!  node: Item! }
  type Item { a: String  b: String  children: [Item!]! }
`);
// Fields that open a database snapshot carry their cost like @Query({ complexity }) sets it.
Object.assign(schema.getQueryType()!.getFields().page!, { extensions: { complexity: 100 } });

/** The cost the rule computed, read back from the error it reports when the limit is 0. */
function cost(query: string, variables: Record<string, unknown> = {}): number {
  const errors = validate(schema, parse(query), [complexityLimit(0, variables)]);
  expect(errors).toHaveLength(1);
  return errors[0]!.extensions.complexity as number;
}

describe('complexityLimit', () => {
  it('counts each field once, and a database field at its own cost', () => {
    expect(cost('{ item { a b } }')).toBe(3);
    expect(cost('{ page { position } }')).toBe(101);
  });

  it("multiplies a connection's edges and nodes by its page size, literal, variable or default", () => {
    expect(cost('{ page(first: 5) { edges { node { a } } } }')).toBe(100 + 1 + 5 * (1 + 1));
    expect(cost('query ($n: Int!) { page(first: $n) { nodes { a b } } }', { n: 7 })).toBe(100 + 7 * 2 + 1);
    expect(cost('{ page { nodes { a } } }')).toBe(100 + 100 * 1 + 1);
  });

  it('charges a full page for a page size the resolver will refuse, or a variable it cannot see', () => {
    expect(cost('{ page(first: 5000) { nodes { a } } }')).toBe(100 + MAX_PAGE + 1);
    expect(cost('query ($n: Int!) { page(first: $n) { nodes { a } } }')).toBe(100 + MAX_PAGE + 1);
  });

  it("charges a connection's deprecated whole list its page size, and never less than the estimate", () => {
    expect(cost('{ page(first: 200) { all { a } } }')).toBe(100 + 1 + 200);
    expect(cost('{ page(first: 1) { all { a } } }')).toBe(100 + 1 + LIST_ESTIMATE);
  });

  it('multiplies other lists by an estimate, nested lists by each', () => {
    expect(cost('{ items { a } }')).toBe(1 + LIST_ESTIMATE);
    expect(cost('{ items { children { a } } }')).toBe(1 + LIST_ESTIMATE * (1 + LIST_ESTIMATE));
  });

  it('follows fragments, and stops at a cycle that other rules report', () => {
    expect(cost('{ item { ...F ... on Item { b } } } fragment F on Item { a }')).toBe(3);
    const cyclic = parse('{ item { ...F } } fragment F on Item { children { ...F } }');
    const errors = validate(schema, cyclic, [...specifiedRules, complexityLimit(1_000_000, {})]);
    expect(errors.map((e) => e.message)).toEqual(['Cannot spread fragment "F" within itself.']);
  });

  it('prices each fragment once, so that fragments of fragments cannot make it exponential', () => {
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Item { children { ...F${i + 1} ...F${i + 1} } }`,
    );
    const bomb = `{ item { ...F0 } } ${fragments.join(' ')} fragment F40 on Item { a }`;
    const started = Date.now();
    expect(cost(bomb)).toBeGreaterThan(1e40);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('charges introspection 1, leaving its nesting to graphql-js and the depth limit', () => {
    expect(cost('{ __schema { types { fields { type { name } } } } item { a } }')).toBe(1 + 2);
    expect(cost('{ __type(name: "Item") { fields { name } } __typename }')).toBe(2);
  });

  it('passes what fits and names the cost and the limit of what does not', () => {
    expect(validate(schema, parse('{ page(first: 10) { nodes { a } } }'), [complexityLimit(111, {})])).toEqual([]);
    const [error] = validate(schema, parse('{ page(first: 10) { nodes { a } } }'), [complexityLimit(110, {})]);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error!.message).toMatch(/^Query complexity 111 exceeds the limit of 110/);
    expect(error!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', complexity: 111, limit: 110 });
  });
});
