import type { RebuildProgress } from '../projections/rebuild/rebuild-progress';

/** `m:ss`, or `h:mm:ss` from an hour on; `--:--` when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const whole = Math.ceil(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * One line of progress.
 *
 * @example
 * formatProgress({ projection: 'temporal', eventsDone: 500, eventsTotal: 1000, eventsPerSecond: 250, etaSeconds: 2, … }, 10)
 * // 'temporal [#####.....]  50% 500/1,000 events  250 ev/s  ETA 0:02  replaying'
 */
export function formatProgress(progress: RebuildProgress, width = 30): string {
  const total = Math.max(progress.eventsTotal, progress.eventsDone);
  const share = progress.status === 'done' ? 1 : total === 0 ? 0 : progress.eventsDone / total;
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const percent = `${String(Math.floor(share * 100)).padStart(3)}%`;
  const eta = progress.status === 'running' ? `ETA ${formatDuration(progress.etaSeconds)}` : progress.status;
  return (
    `${progress.projection} ${bar} ${percent} ${count(progress.eventsDone)}/${count(total)} events` +
    `  ${count(progress.eventsPerSecond)} ev/s  ${eta}  ${progress.phase}`
  );
}

/**
 * Draws progress on a stream (stderr, so stdout stays for results): redrawn in place at most ten
 * times a second on a terminal; elsewhere (a log file, CI) a line every five seconds and on every
 * change of phase.
 */
export class ProgressBar {
  private lastDrawn = 0;
  private lastPhase: string | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly now: () => number = Date.now,
  ) {}

  update(progress: RebuildProgress): void {
    this.show(formatProgress(progress), progress.phase, progress.status === 'running');
  }

  /** Draws `line` (throttled while `running` in the same phase; always when it changes or ends). */
  show(line: string, phase: string, running: boolean): void {
    const at = this.now();
    const phaseChanged = phase !== this.lastPhase;
    const interval = this.stream.isTTY ? 100 : 5000;
    if (running && !phaseChanged && at - this.lastDrawn < interval) return;
    this.lastDrawn = at;
    this.lastPhase = phase;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line}${running ? '' : '\n'}`);
    else this.stream.write(`${line}\n`);
  }
}
