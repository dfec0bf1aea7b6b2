import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * GraphiQL's build (npm run build): its page, React, GraphiQL and Monaco's workers as files the
 * service serves under /graphiql from dist/graphiql-web (src/graphql/graphiql-assets.ts), so that
 * the page needs no CDN and works offline.
 */
export const config = defineConfig({
  root: here,
  base: '/graphiql/',
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '../../../dist/graphiql-web'),
    emptyOutDir: true,
    sourcemap: false,
    // Monaco is large and comes as one chunk the browser keeps for good: a development tool's page.
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      // GraphiQL's packages mark their modules 'use client' (for React Server Components); a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});

// Vite reads a config file's default export.
export default config;
