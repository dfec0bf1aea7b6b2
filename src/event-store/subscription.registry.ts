import type { EventSubscription } from './event-subscription';

/** Every subscription running in this process, for health and metrics. */
export class SubscriptionRegistry {
  private readonly subscriptions: EventSubscription[] = [];

  add(subscription: EventSubscription): void {
    this.subscriptions.push(subscription);
  }

  list(): readonly EventSubscription[] {
    return this.subscriptions;
  }
}
