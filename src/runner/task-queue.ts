/**
 * The waiting line of one alias: FIFO, LIFO or priority (higher first, FIFO among equals).
 *
 * The naive queue is an array with `shift()` (O(n) per dequeue) and `sort()` on every insert for
 * priorities (O(n log n)). Here FIFO is an array with a moving head that is compacted when half of
 * it is dead (amortised O(1)), LIFO is a plain stack, and priority is a binary heap ordered by
 * (priority desc, sequence asc), so equal priorities keep submission order — a stable heap.
 *
 * Invariants: `size` counts live items only; a dequeued slot is cleared so the queue never holds
 * a finished task's closure alive.
 */

export type QueueStrategy = 'fifo' | 'lifo' | 'priority';

interface Slot<T> {
  item: T;
  priority: number;
  seq: number;
}

/** Compact the FIFO array once this many dead slots sit before the head (and they are half of it). */
const FIFO_COMPACT_AT = 1024;

export class TaskQueue<T> {
  private items: Array<Slot<T> | undefined> = [];
  private head = 0;
  private seq = 0;

  constructor(readonly strategy: QueueStrategy) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T, priority = 0): void {
    const slot: Slot<T> = { item, priority, seq: this.seq++ };
    this.items.push(slot);
    if (this.strategy === 'priority') this.siftUp(this.items.length - 1);
  }

  /** The next item by the strategy, or undefined when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    if (this.strategy === 'lifo') return this.items.pop()!.item;
    if (this.strategy === 'fifo') return this.shiftFifo();
    const top = this.items[0]!;
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top.item;
  }

  private shiftFifo(): T {
    const slot = this.items[this.head]!;
    this.items[this.head++] = undefined;
    if (this.head >= FIFO_COMPACT_AT && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return slot.item;
  }

  /** a goes before b: higher priority first, then earlier submission. */
  private before(a: Slot<T>, b: Slot<T>): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
  }

  private siftUp(index: number): void {
    const items = this.items as Array<Slot<T>>;
    const slot = items[index]!;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(slot, items[parent]!)) break;
      items[index] = items[parent]!;
      index = parent;
    }
    items[index] = slot;
  }

  private siftDown(index: number): void {
    const items = this.items as Array<Slot<T>>;
    const length = items.length;
    const slot = items[index]!;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.before(items[right]!, items[left]!) ? right : left;
      if (!this.before(items[child]!, slot)) break;
      items[index] = items[child]!;
      index = child;
    }
    items[index] = slot;
  }
}
