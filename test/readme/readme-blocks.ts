import * as fs from 'node:fs';
import * as path from 'node:path';

/** A fenced code block of a Markdown file, with the check marker written just before it. */
export interface CodeBlock {
  readonly line: number;
  readonly language: string;
  readonly text: string;
  /** `run`, `skip` (with its reason), or undefined when the block has no marker. */
  readonly check: { readonly kind: 'run' } | { readonly kind: 'skip'; readonly reason: string } | undefined;
}

/** Languages whose blocks are commands: each must be run by the README check or say why it is not. */
export const COMMAND_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

const MARKER = /^\s*<!--\s*check:\s*(run|skip:\s*(.+?))\s*-->\s*$/;

/** The fenced blocks of `markdown`; a marker is `<!-- check: run -->` or `<!-- check: skip: why -->`. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    const marker = MARKER.exec(lines[i - 1] ?? '');
    blocks.push({
      line: i + 1,
      language: open[2]!,
      text: body.join('\n'),
      check: !marker ? undefined : marker[1] === 'run' ? { kind: 'run' } : { kind: 'skip', reason: marker[2]! },
    });
    i = j;
  }
  return blocks;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Relative links of `markdown` (outside code) that name no file of the repository or no heading. */
export function brokenLinks(markdown: string, file: string, root: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const broken: string[] = [];
  for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
    const [file_, anchor] = target.split('#') as [string, string | undefined];
    const resolved = file_ === '' ? file : path.resolve(path.dirname(file), file_);
    if (!resolved.startsWith(root + path.sep) && resolved !== root) {
      broken.push(`${target}: outside the repository`);
      continue;
    }
    if (!fs.existsSync(resolved)) {
      broken.push(`${target}: no such file`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md')) {
      const headings = fs
        .readFileSync(resolved, 'utf8')
        .replace(/```[\s\S]*?```/g, '')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => anchorOf(line.replace(/^#+ /, '')));
      if (!headings.includes(anchor)) broken.push(`${target}: no heading #${anchor}`);
    }
  }
  return broken;
}
