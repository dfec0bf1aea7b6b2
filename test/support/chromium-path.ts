import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * Chromium for the browser tier and the console benchmark: CHROMIUM_PATH, else `chromium`
 * (Debian's package) or `chromium-browser` on the PATH. Playwright cannot download browsers here.
 */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH)
    return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}
