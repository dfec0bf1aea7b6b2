import 'reflect-metadata';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Module, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { parseSync } from '@swc/core';
import { openApiDocument } from '../../src/query-api/openapi';

/*
 * What the service serves must stand on its own: the people reading an OpenAPI description, an error
 * message or a console page have the repository at most, and often not even that. So served text
 * cites nothing outside the repository (the team's specification files, "spec §12", "design §4") and
 * no Markdown page the repository lacks; a pointer into docs/ must name a heading that is there.
 */

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Citations of documents that live outside the repository, whatever their wording. */
const OUTSIDE = [
  /\bshared\/[\w./-]*/g,
  // "spec §12", "design §4", "kms-crypto §10 #1", "API §2.4", and a bare "§12.5"; an RFC's § is fine.
  /(?<!RFC \d{1,5} )(?:\b(?:spec|design|kms-crypto|kms-api|API)\s*)?§\s*[\d.]*\d(?:\s*#\d+)?/g,
];
/** A Markdown page named in text, with its anchor: `docs/kms-behaviour.md#aliases`, `README.md`. */
const MARKDOWN = /(?<![\w/.-])([\w./-]*\.md)(#[\w-]+)?(?![\w-])/g;

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = new Map<string, Set<string>>();
function anchorsIn(file: string): Set<string> {
  let anchors = anchorsOf.get(file);
  if (!anchors) {
    const headings = readFileSync(file, 'utf8').match(/^#{1,6} .+$/gm) ?? [];
    anchors = new Set(headings.map((line) => anchorOf(line.replace(/^#+ /, ''))));
    anchorsOf.set(file, anchors);
  }
  return anchors;
}

/** Where a Markdown page named as `name` (relative to `from`, else to the root or docs/) is, if it exists. */
function markdownFile(name: string, from: string): string | undefined {
  return [join(from, name), join(ROOT, name), join(ROOT, 'docs', name)].find((file) => existsSync(file));
}

/** Every reference in `text` to something the repository does not hold. `from`: the folder it is read in. */
function outsideReferences(text: string, from = ROOT): string[] {
  const found = OUTSIDE.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[0].trim()));
  for (const [, name, anchor] of text.matchAll(MARKDOWN)) {
    const file = markdownFile(name!, from);
    if (!file) found.push(`${name}${anchor ?? ''} (no such file in the repository)`);
    else if (anchor && !anchorsIn(file).has(anchor.slice(1)))
      found.push(`${name}${anchor} (no such heading in ${relative(ROOT, file)})`);
  }
  return found;
}

/** Every string anywhere in a JSON value. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

const SOURCE = /\.(ts|tsx|mts)$/;
const TEST = /\.(spec|int-spec|e2e-spec|browser-spec)\.ts$/;
/** The files whose text the service can serve or print: the sources, without their unit tests. */
const servedSources = () => filesUnder(SRC, (file) => SOURCE.test(file) && !TEST.test(file));

/**
 * The /api controllers, found by their route wherever they are declared, so that a new one cannot
 * escape the check; built with a stand-in for each dependency, since only their decorators matter.
 */
async function apiControllers(): Promise<Type[]> {
  const files = servedSources().filter((file) => /@Controller\(\s*['"`]\/?api\b/.test(readFileSync(file, 'utf8')));
  const modules = await Promise.all(files.map((file) => import(file) as Promise<Record<string, unknown>>));
  return modules.flatMap((exported) =>
    Object.values(exported).filter(
      (value): value is Type =>
        typeof value === 'function' && /^\/?api\b/.test(String(Reflect.getMetadata(PATH_METADATA, value) ?? '')),
    ),
  );
}

describe('served text cites nothing outside the repository', () => {
  it('finds what it must refuse, and lets in-repository references through', () => {
    expect(
      outsideReferences(
        'see shared/spec/kms-api.md (spec §12.5), design §4, kms-crypto §10 #1 and §8.2; kms-crypto.md; ' +
          'docs/kms-behaviour.md#no-such-heading; RFC 8032 §5.1 is fine, as are README.md and ' +
          'docs/kms-behaviour.md#aliases',
      ),
    ).toEqual([
      'shared/spec/kms-api.md',
      'spec §12.5',
      'design §4',
      'kms-crypto §10 #1',
      '§8.2',
      'shared/spec/kms-api.md (no such file in the repository)',
      'kms-crypto.md (no such file in the repository)',
      'docs/kms-behaviour.md#no-such-heading (no such heading in docs/kms-behaviour.md)',
    ]);
  });

  it('in the OpenAPI document served at /docs-json', async () => {
    const controllers = await apiControllers();
    expect(controllers.length).toBeGreaterThanOrEqual(3);
    const dependencies = new Set<unknown>();
    for (const controller of controllers) {
      for (const type of (Reflect.getMetadata('design:paramtypes', controller) ?? []) as unknown[])
        dependencies.add(type);
      for (const { param } of (Reflect.getMetadata('self:paramtypes', controller) ?? []) as { param: unknown }[])
        dependencies.add(param);
    }
    @Module({
      controllers,
      providers: [...dependencies].map((token) => ({ provide: token as Type, useValue: {} })),
    })
    class DocumentedRoutes {}
    const app = await NestFactory.create(DocumentedRoutes, new FastifyAdapter(), { logger: false });
    try {
      const document = openApiDocument(app);
      expect(Object.keys(document.paths).length).toBeGreaterThanOrEqual(10);
      expect(stringsOf(document).flatMap((text) => outsideReferences(text))).toEqual([]);
      // Bearer tokens are opaque random strings: the scheme must not announce JWTs.
      expect(document.components?.securitySchemes?.bearer).not.toHaveProperty('bearerFormat');
    } finally {
      await app.close();
    }
  });

  it('in the strings and JSX text of src (error messages, GraphQL descriptions, console pages)', () => {
    const found: string[] = [];
    // Parsing is the slow part: only files that hold something a reference could be made of are parsed.
    const suspect = (text: string) => text.includes('§') || text.includes('shared/') || text.includes('.md');
    for (const file of servedSources().filter((path) => suspect(readFileSync(path, 'utf8')))) {
      const program = parseSync(readFileSync(file, 'utf8'), {
        syntax: 'typescript',
        tsx: file.endsWith('.tsx'),
        decorators: true,
      });
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!node || typeof node !== 'object') return;
        const { type, value, cooked, raw } = node as Record<string, unknown>;
        const text =
          type === 'StringLiteral' || type === 'JSXText'
            ? value
            : type === 'TemplateElement'
              ? (cooked ?? raw)
              : undefined;
        if (typeof text === 'string')
          for (const reference of outsideReferences(text)) found.push(`${relative(ROOT, file)}: ${reference}`);
        Object.values(node).forEach(visit);
      };
      visit(program);
    }
    expect(found).toEqual([]);
  });

  it('in pointers to Markdown pages from src comments and docs/', () => {
    const found: string[] = [];
    const markdownOnly = (text: string, from: string) =>
      outsideReferences(text, from).filter((reference) => reference.includes('(no such'));
    for (const file of servedSources())
      for (const reference of markdownOnly(readFileSync(file, 'utf8'), ROOT))
        if (/^(docs\/|\.\.\/docs\/|README\.md)/.test(reference)) found.push(`${relative(ROOT, file)}: ${reference}`);
    for (const file of filesUnder(join(ROOT, 'docs'), (path) => path.endsWith('.md'))) {
      const text = readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const page = path === '' ? file : join(file, '..', path);
        if (!existsSync(page)) found.push(`${relative(ROOT, file)}: ${target} (no such file)`);
        else if (anchor !== undefined && page.endsWith('.md') && !anchorsIn(page).has(anchor))
          found.push(`${relative(ROOT, file)}: ${target} (no such heading)`);
      }
    }
    expect(found).toEqual([]);
  });
});
