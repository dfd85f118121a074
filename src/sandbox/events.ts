/** The itemevent queue: what changed on the selling side, waiting for the reseller to read and acknowledge. */
import { formatDateTime } from '../domain/dates';
import type { ItemEvent, ItemEventType, SellingItem } from './types';

export class EventQueue {
  private nextId = 1;
  /** By id, in the order they were emitted (a Map keeps insertion order): paging and acknowledging cost O(page). */
  private readonly waiting = new Map<number, ItemEvent>();
  private readonly acknowledgedIds: number[] = [];

  constructor(private readonly now: () => Date) {}

  emit(item: SellingItem, type: ItemEventType, param = '', value = ''): ItemEvent {
    const event: ItemEvent = {
      id: this.nextId++,
      item: item.id,
      remoteid: item.remoteid,
      type,
      param,
      value,
      date: formatDateTime(this.now()),
    };
    this.waiting.set(event.id, event);
    return event;
  }

  /** Events not yet acknowledged, oldest first. */
  pending(): ItemEvent[] {
    return [...this.waiting.values()];
  }

  /**
   * The pending events `accept` lets through, oldest first: `skip` of them left out, then at most `count`.
   * Stops reading as soon as the page is full.
   */
  page(accept: (event: ItemEvent) => boolean, skip: number, count: number): ItemEvent[] {
    const page: ItemEvent[] = [];
    let skipped = 0;
    for (const event of this.waiting.values()) {
      if (page.length >= count) break;
      if (!accept(event)) continue;
      if (skipped < skip) skipped += 1;
      else page.push(event);
    }
    return page;
  }

  /** The pending event `id`, if it is waiting. */
  get(id: number): ItemEvent | undefined {
    return this.waiting.get(id);
  }

  /** Deletes the given events; ids that are not waiting are ignored. Returns the ids actually deleted. */
  acknowledge(ids: readonly number[]): number[] {
    const deleted: number[] = [];
    for (const id of ids) {
      if (!this.waiting.delete(id)) continue;
      this.acknowledgedIds.push(id);
      deleted.push(id);
    }
    return deleted;
  }

  acknowledged(): number[] {
    return [...this.acknowledgedIds];
  }
}
