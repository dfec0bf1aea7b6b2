import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import type { Principal } from '../auth/principal';
import { QUERY_ACTIONS, requireAction } from '../authz/query-actions';
import { BearerTokenIssuer } from '../bearer-tokens/bearer-token-issuer';
import { tokenJson } from '../bearer-tokens/issued-token';
import { adminActor } from '../bearer-tokens/token-actors';
import { QueryCallers } from '../callers/query-callers';
import { signedRequest } from '../callers/signed-request';
import { Clock } from '../clock/clock';
import { tokenRequestOfBody } from './token-request-body';

/**
 * Bearer tokens of the calling principal (issue 17), for scripts and browsers that cannot sign:
 * POST /admin/tokens {"description"?, "expiresInDays"?} makes one and answers it, once (201);
 * GET /admin/tokens lists the caller's tokens, never the tokens themselves; DELETE /admin/tokens/{id}
 * revokes one. Signed like the other admin routes (SigV4 for the service `aliastrail`, or a bearer
 * token), and allowed by `aliastrail:CreateToken`, `aliastrail:ListTokens` or `aliastrail:RevokeToken`
 * on the caller's own principal ARN. A caller only ever sees and revokes its own tokens; the CLI
 * (`npm run cli -- token …`) serves any principal.
 */
@Controller('admin/tokens')
export class BearerTokensAdminController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly issuer: BearerTokenIssuer,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  async create(@Req() req: RawBodyRequest<FastifyRequest>) {
    const caller = await this.callers.of(signedRequest(req));
    // Who asks comes first: an unsigned request learns nothing, not even what the body should be.
    requireAction(caller, QUERY_ACTIONS.createToken, caller.arn);
    const parsed = tokenRequestOfBody(req.body);
    if ('problem' in parsed) throw restError(400, 'InvalidParameter', parsed.problem);
    const { token, record } = await this.issuer.create(caller, parsed.request, actorOf(req, caller));
    return { token, ...tokenJson(record, this.clock.now()) };
  }

  @Get()
  async list(@Req() req: FastifyRequest) {
    const caller = await this.callers.of(req);
    requireAction(caller, QUERY_ACTIONS.listTokens, caller.arn);
    const now = this.clock.now();
    return { tokens: (await this.issuer.list(caller.accessKeyId)).map((token) => tokenJson(token, now)) };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.OK)
  async revoke(@Req() req: RawBodyRequest<FastifyRequest>, @Param('id') id: string) {
    const caller = await this.callers.of(signedRequest(req));
    requireAction(caller, QUERY_ACTIONS.revokeToken, caller.arn);
    const revoked = await this.issuer.revoke(id, actorOf(req, caller), caller.accessKeyId);
    // Another principal's token is "not found" too: its id must not be confirmed to anyone else.
    if (!revoked) throw restError(404, 'NotFound', 'No token of yours has this id.');
    return tokenJson(revoked, this.clock.now());
  }
}

const actorOf = (req: FastifyRequest, caller: Principal) =>
  adminActor({ requestId: req.id, sourceIp: req.ip, userAgent: String(req.headers['user-agent'] ?? '') }, caller);
