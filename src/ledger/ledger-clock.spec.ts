import { Clock, ControllableClock } from '../clock/clock';
import { LedgerClock } from './ledger-clock';

class FixedClock extends Clock {
  constructor(private readonly at: Date) {
    super();
  }

  now(): Date {
    return this.at;
  }
}

describe('LedgerClock', () => {
  const real = new FixedClock(new Date('2026-12-07T10:00:00.000Z'));

  it('never dates ahead of the real clock, however far the service clock was moved', () => {
    const service = new ControllableClock();
    service.advance(9 * 86_400);
    expect(new LedgerClock(service, real).now()).toEqual(real.now());
    expect(new LedgerClock(service).now().getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('follows a service clock that is not ahead of the real one', () => {
    const behind = new FixedClock(new Date('2026-12-07T09:59:59.000Z'));
    expect(new LedgerClock(behind, real).now()).toEqual(behind.now());
  });
});
