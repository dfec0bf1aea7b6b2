import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { keyArn } from '../domain/identifiers';
import { decideScheduleKeyDeletion } from '../domain/key.decider';
import type { KmsEvent } from '../domain/kms-events';
import type { KmsRequest } from '../kms-request';
import { KmsWriter } from '../store/kms-writer';
import type { KmsAnswer } from './kms-answer';
import { type KeyInput, onKey } from './on-key';
import { epochSeconds } from './wire-format';

export interface ScheduleKeyDeletionInput extends KeyInput {
  readonly PendingWindowInDays?: number;
}

export class ScheduleKeyDeletionCommand extends Command<KmsAnswer> {
  constructor(
    readonly request: KmsRequest,
    readonly input: ScheduleKeyDeletionInput,
  ) {
    super();
  }
}

@CommandHandler(ScheduleKeyDeletionCommand)
export class ScheduleKeyDeletionHandler implements ICommandHandler<ScheduleKeyDeletionCommand> {
  constructor(private readonly writer: KmsWriter) {}
  async execute({ request, input }: ScheduleKeyDeletionCommand): Promise<KmsAnswer> {
    const { keyId, events, position } = await onKey(
      this.writer,
      request,
      input,
      (id) => (state, now) =>
        decideScheduleKeyDeletion(
          { keyId: id, pendingWindowInDays: input.PendingWindowInDays },
          state,
          request.scope,
          now,
        ),
    );
    const scheduled = events[0] as Extract<KmsEvent, { type: 'KeyDeletionScheduled' }>;
    return {
      output: {
        KeyId: keyArn(request.scope, keyId),
        DeletionDate: epochSeconds(new Date(scheduled.data.deletionDate)),
        KeyState: 'PendingDeletion',
        PendingWindowInDays: scheduled.data.pendingWindowInDays,
      },
      position,
    };
  }
}
