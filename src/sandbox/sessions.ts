/** Sessions opened by func=auth; each lives `ttlMs` after its last call, like the real panel's one hour. */
import { randomBytes } from 'node:crypto';

interface Session {
  username: string;
  lastUsedMs: number;
}

export class Sessions {
  private readonly open = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  start(username: string): string {
    const sid = randomBytes(16).toString('hex');
    this.open.set(sid, { username, lastUsedMs: this.now().getTime() });
    return sid;
  }

  /** The session's user, refreshing its idle timer; undefined when unknown or expired. */
  use(sid: string): string | undefined {
    const session = this.open.get(sid);
    if (!session) return undefined;
    const nowMs = this.now().getTime();
    if (nowMs - session.lastUsedMs > this.ttlMs) {
      this.open.delete(sid);
      return undefined;
    }
    session.lastUsedMs = nowMs;
    return session.username;
  }

  expireAll(): void {
    this.open.clear();
  }

  get count(): number {
    return this.open.size;
  }
}
