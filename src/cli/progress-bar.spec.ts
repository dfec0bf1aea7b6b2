import type { RebuildProgress } from '../projections/rebuild/rebuild-progress';
import { ProgressBar, formatDuration, formatProgress } from './progress-bar';

const progress = (overrides: Partial<RebuildProgress> = {}): RebuildProgress => ({
  rebuildId: 'r',
  projection: 'temporal',
  status: 'running',
  phase: 'replaying',
  eventsDone: 412_000,
  eventsTotal: 1_000_000,
  eventsPerSecond: 52_345.6,
  etaSeconds: 11.2,
  startedAt: new Date(0),
  finishedAt: undefined,
  error: undefined,
  ...overrides,
});

describe('the progress bar', () => {
  it('formats durations as m:ss and h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(11.2)).toBe('0:12');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(undefined)).toBe('--:--');
  });

  it('shows events done of the total, the rate and the time to go', () => {
    expect(formatProgress(progress(), 10)).toBe(
      'temporal [####......]  41% 412,000/1,000,000 events  52,346 ev/s  ETA 0:12  replaying',
    );
    expect(formatProgress(progress({ status: 'done', phase: 'swapped', eventsDone: 1_000_300 }), 4)).toBe(
      'temporal [####] 100% 1,000,300/1,000,300 events  52,346 ev/s  done  swapped',
    );
  });

  it('redraws in place on a terminal, at most ten times a second, and ends the line when done', () => {
    const written: string[] = [];
    let now = 0;
    const bar = new ProgressBar({ isTTY: true, write: (s: string) => written.push(s) } as never, () => now);
    bar.update(progress());
    now = 50;
    bar.update(progress({ eventsDone: 413_000 }));
    now = 150;
    bar.update(progress({ eventsDone: 414_000 }));
    bar.update(progress({ status: 'done', phase: 'swapped' }));
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\r\x1b\[2Ktemporal .*412,000/);
    expect(written[2]!.endsWith('\n')).toBe(true);
  });

  it('writes a line every five seconds and on each new phase elsewhere', () => {
    const written: string[] = [];
    let now = 0;
    const bar = new ProgressBar({ isTTY: false, write: (s: string) => written.push(s) } as never, () => now);
    bar.update(progress());
    now = 1000;
    bar.update(progress());
    bar.update(progress({ phase: 'indexing' }));
    now = 7000;
    bar.update(progress({ phase: 'indexing' }));
    expect(written.map((line) => line.trim().split('  ').pop())).toEqual(['replaying', 'indexing', 'indexing']);
  });
});
