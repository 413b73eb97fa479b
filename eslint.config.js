// ESLint (flat config) with typescript-eslint's type-aware rules, over the whole project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-output/', 'db/migrations/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Fastify's handlers and hooks, and BullMQ's processors, are async by their contract, whether
      // or not a given one awaits anything.
      '@typescript-eslint/require-await': 'off',
      // Fastify's decorators (app.csrfProtection, app.rateLimit) are meant to be handed over as hooks.
      '@typescript-eslint/unbound-method': 'off',
      // `{ _csrf: _token, ...form }` takes a field out of a form on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // node:test's describe and it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'before', 'after', 'beforeEach', 'afterEach', 'suite'] }] },
      ],
    },
  },
  {
    // The data access awaits every query (db/statements.ts): a database server answers later, so
    // better-sqlite3's synchronous .all() / .get() / .run() would not carry over. The
    // files that speak to SQLite itself (its connection, transactions and copies) are the exceptions.
    files: ['src/**/*.ts', 'workers/**/*.ts', 'db/**/*.ts'],
    ignores: ['db/statements.ts', 'db/transactions.ts', 'db/client.ts', 'db/copy.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression > MemberExpression.callee[object.name!='Promise'] > Identifier.property[name=/^(all|run)$/]",
          message: 'Await the query (or db/statements.ts) instead of a synchronous .all() / .run().',
        },
        {
          selector: 'CallExpression[arguments.length=0] > MemberExpression.callee > Identifier.property[name="get"]',
          message: 'Await the query (or db/statements.ts) instead of a synchronous .get().',
        },
      ],
    },
  },
  {
    // Tests read answers with `response.json()`, which is `any` by Fastify's types: what they
    // read of it is what they assert.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `response.json() as Answer` sets json's type parameter from the `as`, which this rule then
      // takes for an assertion that changes nothing.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
);
