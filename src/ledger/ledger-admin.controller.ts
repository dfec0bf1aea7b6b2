import { LEDGER_ARN, QUERY_ACTIONS, requireAction } from '../authz/query-actions';
import { Controller, Get, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { QueryCallers } from '../callers/query-callers';
import { LedgerService } from './ledger.service';

/**
 * The ledger's admin API, signed like the other admin routes (SigV4 for the service `aliastrail`,
 * or a bearer token). POST /admin/ledger/verify re-walks the chain and the digests and answers the
 * report: 200 with `ok: false` and `firstBad` when something was tampered with (the check itself
 * succeeded). GET /admin/ledger shows where the sequencer stands.
 */
@Controller('admin/ledger')
export class LedgerAdminController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly ledger: LedgerService,
  ) {}

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  async verify(@Req() req: FastifyRequest) {
    const caller = await this.callers.of(req);
    // The ledger spans every account: only a principal allowed to verify it may.
    requireAction(caller, QUERY_ACTIONS.verifyLedger, LEDGER_ARN);
    return this.ledger.verify();
  }

  @Get()
  async status(@Req() req: FastifyRequest) {
    const caller = await this.callers.of(req);
    requireAction(caller, QUERY_ACTIONS.verifyLedger, LEDGER_ARN);
    return this.ledger.status();
  }
}
