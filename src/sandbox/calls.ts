/** Every request the sandbox received, for assertions such as "the order was placed exactly once". */
import type { SandboxCall } from './types';

const SECRET_PARAMS = new Set(['password', 'auth', 'authinfo']);

export class CallLog {
  private readonly calls: SandboxCall[] = [];

  record(func: string, params: Record<string, string>, fault?: string): void {
    const kept = Object.fromEntries(Object.entries(params).filter(([name]) => !SECRET_PARAMS.has(name)));
    this.calls.push({ func, params: kept, ...(fault ? { fault } : {}) });
  }

  all(func?: string): SandboxCall[] {
    return this.calls.filter((c) => func === undefined || c.func === func);
  }

  count(func: string): number {
    return this.all(func).length;
  }

  clear(): void {
    this.calls.length = 0;
  }
}
