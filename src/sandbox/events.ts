/** The itemevent queue: what changed on the selling side, waiting for the reseller to read and acknowledge. */
import { formatDateTime } from '../domain/dates';
import type { ItemEvent, ItemEventType, SellingItem } from './types';

export class EventQueue {
  private nextId = 1;
  private readonly waiting: ItemEvent[] = [];
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
    this.waiting.push(event);
    return event;
  }

  /** Events not yet acknowledged, oldest first. */
  pending(): ItemEvent[] {
    return [...this.waiting];
  }

  /** Deletes the given events; ids that are not waiting are ignored. Returns the ids actually deleted. */
  acknowledge(ids: readonly number[]): number[] {
    const deleted: number[] = [];
    for (const id of ids) {
      const index = this.waiting.findIndex((e) => e.id === id);
      if (index < 0) continue;
      this.waiting.splice(index, 1);
      this.acknowledgedIds.push(id);
      deleted.push(id);
    }
    return deleted;
  }

  acknowledged(): number[] {
    return [...this.acknowledgedIds];
  }
}
