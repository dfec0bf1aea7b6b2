import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file of GraphiQL's build, ready to send. */
export interface GraphiqlAsset {
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
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Where `npm run build` puts GraphiQL (src/graphql/graphiql-web/vite.config.mts): dist/graphiql-web,
 * beside the compiled service (dist/src/graphql here), or under dist/ when this file runs from its source.
 */
export function graphiqlBuildDir(): string | undefined {
  return [path.resolve(__dirname, '../../graphiql-web'), path.resolve(__dirname, '../../dist/graphiql-web')].find(
    (dir) => fs.existsSync(path.join(dir, 'index.html')),
  );
}

/**
 * GraphiQL's files by URL path under /graphiql. Only the build's own files are ever served: a request
 * names a key of this map, never a file, so no path can leave the build. Read and compressed at first
 * request, not at start: 7 MB that most runs (every test app) never ask for.
 */
export class GraphiqlAssets {
  private files: ReadonlyMap<string, string> | undefined;
  private readonly loaded = new Map<string, GraphiqlAsset>();

  constructor(private readonly dir: string) {}

  get(urlPath: string): GraphiqlAsset | undefined {
    const cached = this.loaded.get(urlPath);
    if (cached) return cached;
    this.files ??= this.list();
    const file = this.files.get(urlPath);
    if (file === undefined) return undefined;
    const body = fs.readFileSync(file);
    const gzipped = gzipSync(body, { level: 9 });
    const asset: GraphiqlAsset = {
      body,
      ...(gzipped.length < body.length ? { gzipped } : {}),
      type: TYPES[path.extname(file)] ?? 'application/octet-stream',
      immutable: urlPath.startsWith('/graphiql/assets/'),
    };
    this.loaded.set(urlPath, asset);
    return asset;
  }

  private list(): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (relative: string) => {
      for (const entry of fs.readdirSync(path.join(this.dir, relative), { withFileTypes: true })) {
        const file = path.posix.join(relative, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.isFile()) files.set(`/graphiql/${file}`, path.join(this.dir, file));
      }
    };
    walk('');
    return files;
  }
}
