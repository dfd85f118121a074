/** How a CLI command reports: readable lines by default, one JSON document with the global `--json`. */
import { InvalidArgumentError, type Command } from 'commander';
import { ValidationError } from '../domain/errors';

export interface CliOutput {
  readonly json: boolean;
  /** Prints `data` as JSON with --json, else the readable `lines`. */
  result(data: unknown, lines: readonly string[]): void;
}

export function outputOf(command: Command): CliOutput {
  const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
  return {
    json,
    result(data, lines) {
      if (json) console.log(JSON.stringify(data));
      else for (const line of lines) console.log(line);
    },
  };
}

/** For `.option('--port <n>', ..., parseWholeNumber)`: a bad value is a usage error naming the option. */
export function parseWholeNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`'${text}' is not a whole number.`);
  return Number(text);
}

/**
 * The one way a failed command reports: `billmgr-plugin: <message>` on stderr (a validation error names every
 * problem), or with --json one document `{"error", "problems"}` on stdout (problems: a validation error's list).
 */
export function reportError(err: unknown, json: boolean): void {
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    const problems = err instanceof ValidationError ? [...err.problems] : [];
    console.log(JSON.stringify({ error: message, problems }));
  } else {
    console.error(`billmgr-plugin: ${message}`);
  }
}
