'use strict';
// Runs a compiled entry point of dist/, building first only when the sources changed since the last
// build (npm start, npm run cli and the aliastrail command would otherwise spend half a minute
// building before a fraction of a second of work). Plain JavaScript: it must run before anything is
// compiled. The build's own output is a stamp naming what it was built from.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const STAMP = path.join(root, 'dist', '.build-stamp');
// What `npm run build` reads (tsconfig.build.json, vite.config.mts): any change here rebuilds.
const SOURCES = ['src', 'test/bench', 'test/support', 'db', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time under `entry` (a file or a folder), in ms; 0 when absent. */
function newest(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) latest = Math.max(latest, newest(path.join(entry, name)));
  return latest;
}

/** Whether dist/ holds a build of the current sources. */
function upToDate(entryPoint) {
  let stamp;
  try {
    stamp = fs.statSync(STAMP).mtimeMs;
  } catch {
    return false;
  }
  if (!fs.existsSync(path.join(root, entryPoint))) return false;
  return SOURCES.every((source) => newest(path.join(root, source)) <= stamp);
}

/** Builds (output to stderr, so that a command's JSON on stdout stays clean), then stamps the build. */
function build() {
  const started = Date.now();
  process.stderr.write('aliastrail: the sources changed since the last build; building (once)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write(`aliastrail: the build failed (exit ${result.status ?? result.signal}); see above.\n`);
    process.exit(1);
  }
  fs.writeFileSync(STAMP, `built ${new Date(started).toISOString()}\n`);
  // The stamp is dated when the build began: a source saved during the build rebuilds next time.
  fs.utimesSync(STAMP, new Date(started), new Date(started));
}

/** Runs `entryPoint` (relative to the project root) in this process, after building if needed. */
function runBuilt(entryPoint) {
  if (process.env.ALIASTRAIL_SKIP_BUILD !== '1' && !upToDate(entryPoint)) build();
  require(path.join(root, entryPoint));
}

module.exports = { runBuilt, upToDate };

if (require.main === module) {
  const [entryPoint, ...rest] = process.argv.slice(2);
  if (!entryPoint) {
    process.stderr.write('usage: node bin/run-built.js <dist entry point> [arguments…]\n');
    process.exit(2);
  }
  // The entry point sees its own arguments, as if run directly.
  process.argv = [process.argv[0], path.join(root, entryPoint), ...rest];
  runBuilt(entryPoint);
}
