// ESLint (flat config) for src/ and test/: typescript-eslint's recommended rules, plus the rules
// that keep the code in the shape the README's "Architecture" section describes. `npm run lint`;
// `npm test` runs it first, and so does CI.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/*
 * What each folder of src/ may import, besides itself: the README's architecture map, as a rule.
 * Every list names only folders above it in this order, so no two folders can import each other,
 * directly or through others (no cycles between folders). The KMS domain (src/kms/domain) imports
 * nothing at all: no other folder and no package.
 */
export const MAY_IMPORT = {
  'kms/domain': [],
  config: [],
  http: [],
  metrics: [],
  logging: ['config'],
  clock: ['config'],
  database: ['config'],
  'event-store': ['config', 'database', 'metrics'],
  'aws-json': ['kms/domain', 'event-store'],
  'api-errors': ['kms/domain', 'http', 'database', 'aws-json'],
  auth: ['kms/domain', 'config'],
  authz: ['kms/domain', 'api-errors', 'auth'],
  throttle: ['kms/domain', 'config', 'auth'],
  'console-sessions': ['config', 'database', 'api-errors', 'auth', 'throttle'],
  'bearer-tokens': ['clock', 'database', 'event-store', 'auth'],
  callers: ['kms/domain', 'api-errors', 'auth', 'throttle', 'console-sessions', 'bearer-tokens'],
  'bearer-tokens-admin': ['clock', 'api-errors', 'auth', 'authz', 'bearer-tokens', 'callers'],
  ledger: ['config', 'clock', 'database', 'event-store', 'authz', 'callers'],
  'page-tokens': ['config', 'clock', 'ledger'],
  'observed-accounts': ['config', 'database'],
  kms: ['kms/domain', 'config', 'clock', 'database', 'event-store', 'auth', 'authz', 'callers', 'page-tokens'],
  audit: ['kms/domain', 'config', 'clock', 'database', 'metrics', 'event-store', 'page-tokens', 'kms'],
  projections: ['kms/domain', 'config', 'database', 'event-store', 'authz', 'callers', 'audit'],
  'cloudtrail-api': ['kms/domain', 'aws-json', 'auth', 'authz', 'throttle', 'page-tokens', 'audit', 'projections'],
  'kms-api': [
    'kms/domain',
    'database',
    'observed-accounts',
    'event-store',
    'aws-json',
    'auth',
    'throttle',
    'kms',
    'audit',
    'cloudtrail-api',
  ],
  'query-api': [
    'kms/domain',
    'config',
    'clock',
    'observed-accounts',
    'kms',
    'event-store',
    'api-errors',
    'authz',
    'callers',
    'page-tokens',
    'audit',
    'projections',
  ],
  graphql: [
    'kms/domain',
    'config',
    'clock',
    'observed-accounts',
    'database',
    'event-store',
    'api-errors',
    'auth',
    'authz',
    'callers',
    'page-tokens',
    'kms',
    'audit',
    'projections',
  ],
  console: [
    'console-sessions',
    'kms/domain',
    'config',
    'clock',
    'database',
    'event-store',
    'api-errors',
    'auth',
    'throttle',
    'kms',
    'audit',
    'kms-api',
  ],
  health: ['config', 'database', 'metrics', 'event-store', 'audit'],
  'cloudtrail-import': ['kms/domain', 'config', 'database', 'event-store', 'observed-accounts'],
  'cloudtrail-export': ['kms/domain', 'event-store', 'projections'],
  cli: [
    'config',
    'logging',
    'database',
    'event-store',
    'ledger',
    'projections',
    'kms',
    'cloudtrail-import',
    'cloudtrail-export',
    'clock',
    'auth',
    'bearer-tokens',
  ],
  // The `aliastrail` command (npx aliastrail): a client of the service's HTTP APIs, which it reaches
  // over the network only, so it shares none of the service's code.
  client: [],
};

/*
 * SQL that names the `events` table (the event store owns it: only src/event-store/ may read or
 * write it). A keyword before the name, schema-qualified or quoted or not: in upper case in any
 * string (this code's SQL style), in any case inside a `sql` template; or a Kysely builder given
 * the table. `kms_events`, `audit_events` and prose ("an insert into events could not…") are not.
 */
const KEYWORD_EVENTS = String.raw`\b(?:FROM|JOIN|INTO|UPDATE|TABLE|COPY)\s+(?:ONLY\s+)?(?:public\.)?"?events"?(?![\w.(])`;
const KYSELY_BUILDERS =
  /^(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto|replaceInto)$/;

const noEventsSql = {
  meta: {
    type: 'problem',
    messages: { events: 'SQL on the events table belongs in src/event-store/ (the event store owns it).' },
    schema: [],
  },
  create(context) {
    const upper = new RegExp(KEYWORD_EVENTS);
    const anyCase = new RegExp(KEYWORD_EVENTS, 'i');
    const report = (node) => context.report({ node, messageId: 'events' });
    const isSqlTag = (tag) =>
      (tag.type === 'Identifier' && tag.name === 'sql') ||
      (tag.type === 'MemberExpression' && tag.object.type === 'Identifier' && tag.object.name === 'sql');
    return {
      Literal(node) {
        if (typeof node.value === 'string' && upper.test(node.value)) report(node);
      },
      TemplateLiteral(node) {
        const text = node.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw).join(' ');
        const tagged = node.parent.type === 'TaggedTemplateExpression' && isSqlTag(node.parent.tag);
        if ((tagged ? anyCase : upper).test(text)) report(node);
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        if (!KYSELY_BUILDERS.test(callee.property.name)) return;
        const [first] = node.arguments;
        const name =
          first?.type === 'Literal' ? first.value : first?.type === 'TemplateLiteral' ? first.quasis[0].value.raw : '';
        if (typeof name === 'string' && /^(?:public\.)?events\b/.test(name)) report(first);
      },
    };
  },
};

const elementTypes = Object.keys(MAY_IMPORT);

export default tseslint.config(
  // The console's page (src/console/web) is React, type-checked by its own tsconfig (npm run typecheck).
  { ignores: ['dist/**', 'node_modules/**', 'bench-results/**', 'src/console/web/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    plugins: { 'import-x': importX, aliastrail: { rules: { 'no-events-sql': noEventsSql } } },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      // Named exports only (design §8): a default export has no name to search for.
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use a named export.' }],
      // No cycles between files either.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The stored-value and export code matches NUL and other control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // ESLint does not see a constant used only in a parameter decorator (@Args('x', text('…'))).
    files: ['src/**/*.resolver.ts', 'src/**/*.controller.ts'],
    rules: { 'no-useless-assignment': 'off' },
  },
  {
    // Tests read JSON answers loosely (the expectations are the check); Jest wants default exports
    // from its global set-up and tear-down modules.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['test/support/global-setup.ts', 'test/support/global-teardown.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/event-store/**', 'src/**/*.spec.ts'],
    rules: { 'aliastrail/no-events-sql': 'error' },
  },
  {
    // The KMS domain is pure: it imports only its own files, no other folder and no package.
    files: ['src/kms/domain/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: String.raw`^(?!\./)`, message: 'The KMS domain imports only its own files.' }] },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/include': ['src/**/*.ts'],
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
      // The first pattern a file's folder matches names its element: kms/domain before kms.
      'boundaries/elements': elementTypes.map((type) => ({ type, pattern: `src/${type}` })),
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            ...Object.entries(MAY_IMPORT).map(([from, to]) => ({
              from: { element: { type: from } },
              disallow: { to: { element: { types: { noneOf: [from, ...to] } } } },
            })),
          ],
        },
      ],
    },
  },
);
