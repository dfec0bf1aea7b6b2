import { BadRequestException, Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CLOCK_ARN, QUERY_ACTIONS, requireAction } from '../authz/query-actions';
import { QueryCallers } from '../callers/query-callers';
import { signedRequest } from '../callers/signed-request';
import { Clock, ControllableClock } from '../clock/clock';
import { KeyDeletionScheduler } from './key-deletion.scheduler';
import { KeyRotationScheduler } from './key-rotation.scheduler';
import { epochSeconds } from './operations/wire-format';

/**
 * POST /admin/clock {"advanceSeconds": n}: moves the controllable clock forward and runs the jobs now
 * due before answering (docs/kms-behaviour.md#time-and-the-controllable-clock). Registered only with ALIASTRAIL_CLOCK=controllable. Signed like
 * the other admin routes and allowed by `aliastrail:AdvanceClock` on arn:aws:aliastrail:::clock: the
 * clock is the whole service's, and moving it ends every account's deletion waiting periods.
 */
@Controller('admin/clock')
export class AdminClockController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly clock: Clock,
    private readonly scheduler: KeyDeletionScheduler,
    private readonly rotations: KeyRotationScheduler,
  ) {}

  @Post()
  @HttpCode(200)
  async advance(@Req() req: RawBodyRequest<FastifyRequest>, @Body() body: unknown): Promise<{ now: number }> {
    // Who asks comes first: an unsigned request learns nothing, not even what the body should be.
    requireAction(await this.callers.of(signedRequest(req)), QUERY_ACTIONS.advanceClock, CLOCK_ARN);
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
