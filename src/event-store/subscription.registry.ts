import type { SubscriptionStatus } from './event-subscription';

/** What health and metrics read of a subscription. */
export interface Inspectable {
  readonly status: SubscriptionStatus;
}

/** Every subscription running in this process, for health and metrics. */
export class SubscriptionRegistry {
  private readonly subscriptions: Inspectable[] = [];

  add(subscription: Inspectable): void {
    this.subscriptions.push(subscription);
  }

  list(): readonly Inspectable[] {
    return this.subscriptions;
  }
}
