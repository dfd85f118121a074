import {
  BusyError,
  ConfigurationError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../domain/errors';

/** Errors the host understands: each becomes `<doc><error type= object=>` on stdout and a non-zero exit. */

export class HostError extends Error {
  constructor(
    readonly type: string,
    readonly object: string,
    message: string,
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** A bad or missing command-line argument. */
export class ArgumentError extends HostError {
  constructor(option: string, message: string) {
    super('value', option, message, { value: option });
    this.name = 'ArgumentError';
  }
}

/**
 * The one mapping of the plugin's errors (domain/errors.ts) to the host's error types. Anything else that is not a
 * HostError becomes an `internal` error with its message only (no stack, no secrets).
 */
export function toHostError(err: unknown): HostError {
  if (err instanceof HostError) return err;
  if (err instanceof ValidationError) return new HostError('value', err.subject, err.message, err.params);
  if (err instanceof NotFoundError) return new HostError('missed', err.object, err.message, err.params);
  if (err instanceof ConflictError) return new HostError('exists', err.object, err.message, err.params);
  if (err instanceof ConfigurationError) return new HostError('config', err.object, err.message, err.params);
  if (err instanceof BusyError) return new HostError('busy', err.object, err.message, err.params);
  const message = err instanceof Error ? err.message : String(err);
  return new HostError('internal', 'plugin', message);
}
