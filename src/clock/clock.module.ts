import { Module } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { Clock, ControllableClock, SystemClock } from './clock';
import { IdGenerator } from './id-generator';

/**
 * Time and ids. Imported by what injects them; Nest makes one instance, so the
 * controllable clock moved by POST /admin/clock is the one every module reads.
 */
@Module({
  providers: [
    {
      provide: Clock,
      inject: [CONFIG],
      useFactory: (config: Config) => (config.clock === 'controllable' ? new ControllableClock() : new SystemClock()),
    },
    { provide: IdGenerator, useFactory: () => new IdGenerator() },
  ],
  exports: [Clock, IdGenerator],
})
export class ClockModule {}
