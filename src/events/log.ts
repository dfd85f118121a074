/** What checkevent needs of a logger: winston's Logger fits, and the benchmark passes a silent one. */

export type LogMeta = { item?: number | null; module?: number };

export interface EventLog {
  info(message: string, meta?: LogMeta): unknown;
  warn(message: string, meta?: LogMeta): unknown;
  error(message: string, meta?: LogMeta): unknown;
}

export const silentLog: EventLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
