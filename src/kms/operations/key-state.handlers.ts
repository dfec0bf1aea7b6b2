import { authorizeKms } from '../../authz/authorize';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { keyArn } from '../identifiers';
import {
  decideCancelKeyDeletion,
  decideDisableKey,
  decideEnableKey,
  decideScheduleKeyDeletion,
} from '../key.decider';
import type { KmsEvent } from '../kms-events';
import type { KmsState } from '../kms-state';
import { keyTag } from '../kms-events';
import type { KmsRequest } from '../kms-request';
import { epochSeconds } from './wire-format';
import { KmsWriter } from '../store/kms-writer';
import { keyIdOnly } from './key-reference';

export class EnableKeyCommand extends Command<undefined> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}
export class DisableKeyCommand extends Command<undefined> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}
export class ScheduleKeyDeletionCommand extends Command<Record<string, unknown>> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}
export class CancelKeyDeletionCommand extends Command<Record<string, unknown>> {
  constructor(readonly request: KmsRequest) {
    super();
  }
}

/** Runs a key-state decision on the key named by KeyId (a key id or key ARN). */
async function onKey(
  writer: KmsWriter,
  request: KmsRequest,
  decide: (keyId: string) => (state: KmsState, now: Date) => readonly KmsEvent[],
) {
  const keyId = keyIdOnly(request.params.KeyId, request.scope);
  authorizeKms(request.principal, `kms:${request.operation}`, [keyArn(request.scope, keyId)]);
  const events = await writer.run(
    request,
    [keyTag(request.scope.accountId, request.scope.region, keyId)],
    decide(keyId),
  );
  return { keyId, events };
}

@CommandHandler(EnableKeyCommand)
export class EnableKeyHandler implements ICommandHandler<EnableKeyCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request }: EnableKeyCommand): Promise<undefined> {
    await onKey(this.writer, request, (keyId) => (state) => decideEnableKey(keyId, state, request.scope));
    return undefined;
  }
}

@CommandHandler(DisableKeyCommand)
export class DisableKeyHandler implements ICommandHandler<DisableKeyCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request }: DisableKeyCommand): Promise<undefined> {
    await onKey(this.writer, request, (keyId) => (state) => decideDisableKey(keyId, state, request.scope));
    return undefined;
  }
}

@CommandHandler(ScheduleKeyDeletionCommand)
export class ScheduleKeyDeletionHandler implements ICommandHandler<ScheduleKeyDeletionCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request }: ScheduleKeyDeletionCommand): Promise<Record<string, unknown>> {
    const days = request.params.PendingWindowInDays as number | undefined;
    const { keyId, events } = await onKey(
      this.writer,
      request,
      (id) => (state, now) =>
        decideScheduleKeyDeletion({ keyId: id, pendingWindowInDays: days }, state, request.scope, now),
    );
    const scheduled = events[0] as Extract<KmsEvent, { type: 'KeyDeletionScheduled' }>;
    return {
      KeyId: keyArn(request.scope, keyId),
      DeletionDate: epochSeconds(new Date(scheduled.data.deletionDate)),
      KeyState: 'PendingDeletion',
      PendingWindowInDays: scheduled.data.pendingWindowInDays,
    };
  }
}

@CommandHandler(CancelKeyDeletionCommand)
export class CancelKeyDeletionHandler implements ICommandHandler<CancelKeyDeletionCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request }: CancelKeyDeletionCommand): Promise<Record<string, unknown>> {
    const { keyId } = await onKey(
      this.writer,
      request,
      (id) => (state) => decideCancelKeyDeletion(id, state, request.scope),
    );
    return { KeyId: keyArn(request.scope, keyId) };
  }
}
