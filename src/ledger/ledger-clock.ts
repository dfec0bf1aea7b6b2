import { Clock, SystemClock } from '../clock/clock';

/**
 * The clock the ledger dates its entries and digests by: the service's clock, but never ahead of
 * the real one (`real`, the system clock but in tests).
 *
 * Why: a digest is a signed statement that the chain stood so at a moment; a moment still to come
 * is a false one. The controllable clock (ALIASTRAIL_CLOCK=controllable; docs/kms-behaviour.md#time-and-the-controllable-clock) only moves
 * forward, to let tests see deletion waiting periods and rotations come due, and the events keep
 * its time (their occurredAt is the business time the KMS API answers with, like CloudTrail's
 * eventTime). The ledger does not: were it to follow that clock, advancing it by days would close
 * the days' hours with digests dated ahead, and since a chain's dates never go back (planBatch),
 * every later digest would stay ahead too, even after a restart on the system clock. On the system
 * clock this is the system clock; on the controllable one, the real time.
 */
export class LedgerClock extends Clock {
  constructor(
    private readonly service: Clock,
    private readonly real: Clock = new SystemClock(),
  ) {
    super();
  }

  now(): Date {
    const service = this.service.now();
    const real = this.real.now();
    return service.getTime() <= real.getTime() ? service : real;
  }
}
