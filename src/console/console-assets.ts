import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file of the console's build, ready to send. */
export interface ConsoleAsset {
  readonly body: Buffer;
  /** The same, gzipped, when that is smaller. */
  readonly gzipped?: Buffer;
  readonly type: string;
  /** Vite names its assets by their content: a browser may keep them for good. */
  readonly immutable: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Where `npm run build` puts the console (src/console/web/vite.config.mts): dist/console-web, beside
 * the compiled service (dist/src/console here), or under dist/ when this file runs from its source.
 */
export function consoleBuildDir(): string | undefined {
  return [path.resolve(__dirname, '../../console-web'), path.resolve(__dirname, '../../dist/console-web')].find((dir) =>
    fs.existsSync(path.join(dir, 'index.html')),
  );
}

/**
 * Every file of the build, read once at start, by its URL path under /console. Only these paths are
 * ever served: a request names a key of this map, never a file, so no path can leave the build.
 */
export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const file = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) {
        const body = fs.readFileSync(path.join(dir, file));
        const gzipped = gzipSync(body, { level: 9 });
        assets.set(`/console/${file}`, {
          body,
          ...(gzipped.length < body.length ? { gzipped } : {}),
          type: TYPES[path.extname(file)] ?? 'application/octet-stream',
          immutable: file.startsWith('assets/'),
        });
      }
    }
  };
  walk('');
  return assets;
}
