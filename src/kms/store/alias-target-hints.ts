import { Injectable } from '@nestjs/common';
import type { Scope } from '../domain/identifiers';
import type { KmsEvent } from '../domain/kms-events';

const CAPACITY = 100_000;

/**
 * The key each alias pointed to after this process's last change of it: a guess of which key tags
 * an UpdateAlias or DeleteAlias must lock, saving the current-model lookup. Only a guess: the unit
 * checks it against the state it reads under the locks and starts over when another instance moved
 * the alias meanwhile. Oldest entries go first past the capacity.
 */
@Injectable()
export class AliasTargetHints {
  private readonly targets = new Map<string, string>();

  keyOf(scope: Scope, aliasName: string): string | undefined {
    return this.targets.get(hintKey(scope.accountId, scope.region, aliasName));
  }

  /** Learns from events this process committed. */
  learn(events: readonly KmsEvent[]): void {
    for (const event of events) {
      if (event.type === 'AliasCreated' || event.type === 'AliasRetargeted') {
        const id = hintKey(event.data.accountId, event.data.region, event.data.aliasName);
        this.targets.delete(id); // re-inserted last: the Map's order is the eviction order
        this.targets.set(id, event.type === 'AliasCreated' ? event.data.keyId : event.data.toKeyId);
        if (this.targets.size > CAPACITY) this.targets.delete(this.targets.keys().next().value!);
      } else if (event.type === 'AliasDeleted') {
        this.targets.delete(hintKey(event.data.accountId, event.data.region, event.data.aliasName));
      }
    }
  }
}

const hintKey = (accountId: string, region: string, aliasName: string) => `${accountId}\n${region}\n${aliasName}`;
