import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The console's build (npm run build): served by the service under /console from dist/console-web
 * (src/console/console-assets.ts). Cloudscape is large, so what the sign-in page does not need comes
 * in chunks of its own.
 */
export const config = defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '../../../dist/console-web'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // Cloudscape marks its modules 'use client' (for React Server Components); a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        // React and Cloudscape in one chunk the browser keeps for good: left to itself, the bundler
        // splits Cloudscape into hundreds of files, and the first page waited for 276 requests.
        manualChunks: (id: string) => (id.includes('/node_modules/') ? 'vendor' : undefined),
      },
    },
  },
});

// Vite reads a config file's default export.
// eslint-disable-next-line no-restricted-syntax
export default config;
