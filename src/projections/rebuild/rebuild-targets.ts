import type { EventStore } from '../../event-store/event-store';
import type { Projection } from '../projection';
import { CurrentRebuildTarget } from './current-rebuild-target';
import { GrantsRebuildTarget } from './grants-rebuild-target';
import type { RebuildTarget } from './rebuild-target';
import { RunnerRebuildTarget } from './runner-rebuild-target';

/** Every projection that can be rebuilt, by name: the inline `current` and `grants`, and each runner projection. */
export function rebuildTargets(
  store: EventStore,
  runnerProjections: readonly Projection[],
): Map<string, RebuildTarget> {
  const targets: RebuildTarget[] = [
    new CurrentRebuildTarget(),
    new GrantsRebuildTarget(),
    ...runnerProjections.map((projection) => new RunnerRebuildTarget(store, projection)),
  ];
  return new Map(targets.map((target) => [target.name, target]));
}
