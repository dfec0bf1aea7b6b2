import {
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
} from 'graphql';
import { DEFAULT_PAGE, LIST_ESTIMATE, MAX_PAGE } from './query-limits';

type Variables = Readonly<Record<string, unknown>> | null | undefined;

function fieldOf(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name && parent === schema.getQueryType()) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** The page a connection field asks for: `first` as given (literal or variable), within 1..MAX_PAGE. */
function pageOf(node: FieldNode, field: GraphQLField<unknown, unknown>, variables: Variables): number | undefined {
  const declared = field.args.find((arg) => arg.name === 'first');
  if (!declared) return undefined;
  const value: ValueNode | undefined = node.arguments?.find((arg) => arg.name.value === 'first')?.value;
  let first: unknown = declared.defaultValue ?? DEFAULT_PAGE;
  if (value?.kind === Kind.INT) first = Number(value.value);
  else if (value?.kind === Kind.VARIABLE) first = variables?.[value.name.value] ?? MAX_PAGE;
  // A bad page size is the resolver's to refuse, with its own message; here it costs the most a page can.
  return typeof first === 'number' && Number.isInteger(first) && first >= 1 && first <= MAX_PAGE ? first : MAX_PAGE;
}

/**
 * What an operation costs: each field its `complexity` extension (1 unless set, e.g. on fields that
 * open a database snapshot), times how many times it will be resolved. A list multiplies what is
 * under it by the page size of its connection (`first`), or by LIST_ESTIMATE when it has none.
 * Introspection (`__schema`, `__type`) costs 1.
 */
export function operationCost(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  root: GraphQLNamedType,
  variables: Variables,
): number {
  const schema = context.getSchema();
  // A fragment's cost by name and page: spreading fragments of fragments (a "fragment bomb") would
  // otherwise make this walk exponential in the size of the document.
  const fragmentCosts = new Map<string, number>();

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLNamedType,
    page: number | undefined,
    visiting: ReadonlySet<string>,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += walk(selection.selectionSet, typed ?? parent, page, visiting);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = context.getFragment(name);
        // A cycle is NoFragmentCyclesRule's to report; following it would never end.
        if (!fragment || visiting.has(name)) continue;
        const key = `${name}\n${page ?? ''}`;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          const typed = schema.getType(fragment.typeCondition.name.value) ?? parent;
          cost = walk(fragment.selectionSet, typed, page, new Set([...visiting, name]));
          fragmentCosts.set(key, cost);
        }
        total += cost;
      } else {
        const field = fieldOf(schema, parent, selection.name.value);
        if (!field) continue; // FieldsOnCorrectTypeRule reports it
        // Introspection is answered from the schema in memory, and graphql-js's own
        // MaxIntrospectionDepthRule (with MAX_DEPTH) already bounds how far its cycles can be followed.
        if (field === SchemaMetaFieldDef || field === TypeMetaFieldDef) {
          total += 1;
          continue;
        }
        total += typeof field.extensions.complexity === 'number' ? field.extensions.complexity : 1;
        if (!selection.selectionSet) continue;
        // A deprecated whole list (what a connection replaced) is not cut to the page: the old estimate at least.
        const estimate = field.deprecationReason ? Math.max(page ?? 0, LIST_ESTIMATE) : (page ?? LIST_ESTIMATE);
        const times = isListType(getNullableType(field.type)) ? estimate : 1;
        const below = walk(
          selection.selectionSet,
          getNamedType(field.type),
          pageOf(selection, field, variables),
          visiting,
        );
        total += times * below;
      }
    }
    return total;
  };

  return walk(selectionSet, root, undefined, new Set());
}

/**
 * A validation rule refusing operations that cost more than `max` (see operationCost), with the
 * cost in the error so that a client knows how far to cut. Variables are the request's own, so a
 * `first: $n` costs what `$n` asks.
 */
export function complexityLimit(max: number, variables: Variables): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const root =
        operation.operation === 'query'
          ? context.getSchema().getQueryType()
          : operation.operation === 'mutation'
            ? context.getSchema().getMutationType()
            : context.getSchema().getSubscriptionType();
      if (!root) return;
      const cost = operationCost(context, operation.selectionSet, root, variables);
      if (cost > max)
        context.reportError(
          new GraphQLError(
            `Query complexity ${cost} exceeds the limit of ${max}: ask for fewer fields or smaller pages (first), or split the query.`,
            { nodes: operation, extensions: { code: 'QUERY_TOO_COMPLEX', complexity: cost, limit: max } },
          ),
        );
    },
  });
}
