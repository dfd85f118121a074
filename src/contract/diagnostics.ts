/**
 * Where libraries' own messages go (knex's warnings with their stack traces, stray console output): to the log,
 * never to stdout, which carries the host's one document. Until a handler names its log, they go to stderr.
 */
import { redact } from './redact';

export type DiagnosticLevel = 'debug' | 'warn' | 'error';
export type DiagnosticSink = (level: DiagnosticLevel, message: string) => void;

const toStderr: DiagnosticSink = (level, message) => {
  process.stderr.write(`${level}: ${redact(message)}\n`);
};

let sink: DiagnosticSink = toStderr;

/** Sends diagnostics to `next` until the returned function is called. */
export function setDiagnosticSink(next: DiagnosticSink): () => void {
  const before = sink;
  sink = next;
  return () => {
    sink = before;
  };
}

export function diagnostic(level: DiagnosticLevel, message: unknown): void {
  const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
  try {
    sink(level, text);
  } catch {
    toStderr(level, text);
  }
}

/** knex's `log` option: its warnings (with stack traces) and errors as diagnostics, not console.log. */
export const knexLog = {
  debug: (message: unknown): void => diagnostic('debug', message),
  warn: (message: unknown): void => diagnostic('warn', message),
  error: (message: unknown): void => diagnostic('error', message),
  deprecate: (message: unknown): void => diagnostic('warn', message),
};

const CONSOLE_LEVELS = { log: 'warn', info: 'warn', warn: 'warn', error: 'error', debug: 'debug' } as const;

/**
 * While a handler runs, whatever a library prints with console.* becomes a diagnostic: stdout keeps only the
 * handler's document. Returns the function that puts console back.
 */
export function captureConsole(): () => void {
  const saved = new Map<string, unknown>();
  const target = console as unknown as Record<string, unknown>;
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    saved.set(method, target[method]);
    target[method] = (...args: unknown[]): void =>
      diagnostic(
        level,
        args
          .map((a) =>
            typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a),
          )
          .join(' '),
      );
  }
  return () => {
    for (const [method, fn] of saved) target[method] = fn;
  };
}
