import type { Command, Query } from '@nestjs/cqrs';
import { CreateAliasCommand } from '../kms/operations/create-alias.handler';
import { DeleteAliasCommand } from '../kms/operations/delete-alias.handler';
import { ListAliasesQuery } from '../kms/operations/list-aliases.handler';
import { UpdateAliasCommand } from '../kms/operations/update-alias.handler';
import { CreateKeyCommand } from '../kms/operations/create-key.handler';
import { DescribeKeyQuery } from '../kms/operations/describe-key.handler';
import {
  CancelKeyDeletionCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ScheduleKeyDeletionCommand,
} from '../kms/operations/key-state.handlers';
import { ListKeysQuery } from '../kms/operations/list-keys.handler';
import type { KmsRequest } from '../kms/kms-request';
import type { OperationName } from './operations';

type Output = Record<string, unknown> | undefined;

/** Which command or query each operation becomes. */
export const DISPATCH: Record<
  OperationName,
  (request: KmsRequest) => { command: Command<Output> } | { query: Query<Output> }
> = {
  CreateAlias: (r) => ({ command: new CreateAliasCommand(r) }),
  UpdateAlias: (r) => ({ command: new UpdateAliasCommand(r) }),
  DeleteAlias: (r) => ({ command: new DeleteAliasCommand(r) }),
  ListAliases: (r) => ({ query: new ListAliasesQuery(r) }),
  CreateKey: (r) => ({ command: new CreateKeyCommand(r) }),
  DescribeKey: (r) => ({ query: new DescribeKeyQuery(r) }),
  ListKeys: (r) => ({ query: new ListKeysQuery(r) }),
  ScheduleKeyDeletion: (r) => ({ command: new ScheduleKeyDeletionCommand(r) }),
  CancelKeyDeletion: (r) => ({ command: new CancelKeyDeletionCommand(r) }),
  EnableKey: (r) => ({ command: new EnableKeyCommand(r) }),
  DisableKey: (r) => ({ command: new DisableKeyCommand(r) }),
};
