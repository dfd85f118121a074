/** How the receiving side of a run tells the applying side, running alongside it, that more events are stored. */
export class StoredProgress {
  private pages = 0;
  private finished = false;
  private waiting: (() => void)[] = [];

  /** How many pages were stored so far: read before looking for stored events. */
  get stored(): number {
    return this.pages;
  }

  pageStored(): void {
    this.pages += 1;
    this.wake();
  }

  finish(): void {
    this.finished = true;
    this.wake();
  }

  /** True once a page was stored after `seen` pages; false when receiving ended without one. */
  async moreThan(seen: number): Promise<boolean> {
    while (this.pages === seen && !this.finished)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.pages !== seen;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
