import { Body, Controller, HttpCode, Post, BadRequestException } from '@nestjs/common';
import { Clock, ControllableClock } from '../clock/clock';
import { KeyDeletionScheduler } from './key-deletion.scheduler';
import { KeyRotationScheduler } from './key-rotation.scheduler';
import { epochSeconds } from './operations/wire-format';

/**
 * POST /admin/clock {"advanceSeconds": n}: moves the controllable clock forward and runs the jobs now
 * due before answering (spec §17.8). Registered only with ALIASTRAIL_CLOCK=controllable.
 */
@Controller('admin/clock')
export class AdminClockController {
  constructor(
    private readonly clock: Clock,
    private readonly scheduler: KeyDeletionScheduler,
    private readonly rotations: KeyRotationScheduler,
  ) {}

  @Post()
  @HttpCode(200)
  async advance(@Body() body: unknown): Promise<{ now: number }> {
    const seconds = (body as { advanceSeconds?: unknown } | undefined)?.advanceSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new BadRequestException('advanceSeconds must be a number greater than 0');
    }
    const now = (this.clock as ControllableClock).advance(seconds);
    await this.scheduler.sweep();
    await this.rotations.sweep();
    return { now: epochSeconds(now) };
  }
}
