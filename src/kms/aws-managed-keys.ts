import { Injectable } from '@nestjs/common';
import { IdGenerator } from '../clock/id-generator';
import { awsManagedAliasTags, decideAwsManagedKeys } from './domain/aws-managed-keys.decider';
import type { Scope } from './domain/identifiers';
import { KmsWriter } from './store/kms-writer';

/**
 * Runs the AWS managed key provisioning (domain/aws-managed-keys.decider.ts) the first time this
 * instance sees an account and Region, as an ordinary unit of service events.
 */
@Injectable()
export class AwsManagedKeys {
  private readonly provisioned = new Set<string>();

  constructor(
    private readonly writer: KmsWriter,
    private readonly ids: IdGenerator,
  ) {}

  /** The log position of the keys it provisioned now; undefined when they were there already. */
  async ensure(scope: Scope): Promise<bigint | undefined> {
    const id = `${scope.accountId}:${scope.region}`;
    if (this.provisioned.has(id)) return undefined;
    const { position } = await this.writer.run({ service: true }, awsManagedAliasTags(scope), (state) =>
      decideAwsManagedKeys(state, scope, () => this.ids.uuid()),
    );
    this.provisioned.add(id);
    return position;
  }
}
