/** Time, injected: the domain never reads the system clock itself. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** The system clock plus an offset that only moves forward (ALIASTRAIL_CLOCK=controllable; docs/kms-behaviour.md#time-and-the-controllable-clock). */
export class ControllableClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(seconds: number): Date {
    this.offsetMs += seconds * 1000;
    return this.now();
  }
}
