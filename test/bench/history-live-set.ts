import type { Random } from './history-callers';

/** A set of small integers (alias indexes) with O(1) add, remove and random pick. */
export class LiveSet {
  readonly items: number[] = [];
  private readonly at = new Map<number, number>();

  get size(): number {
    return this.items.length;
  }

  add(item: number): void {
    this.at.set(item, this.items.length);
    this.items.push(item);
  }

  remove(item: number): void {
    const index = this.at.get(item)!;
    const last = this.items.pop()!;
    this.at.delete(item);
    if (last !== item) {
      this.items[index] = last;
      this.at.set(last, index);
    }
  }

  random(random: Random): number {
    return this.items[Math.floor(random() * this.items.length)]!;
  }
}
