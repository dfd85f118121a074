/** What the promotion code commands share: option parsers, the progress bar, writing to a pipe. */
import { InvalidArgumentError } from 'commander';
import { PERIOD_TYPES, type Period, type PeriodType } from '../../../domain/promotion/codes/batch';

/** `month:2` (type and length) for `--discount-period` and `--valid-for`. */
export function parsePeriod(text: string): Period {
  const match = /^(day|month|year):(\d+)$/.exec(text);
  if (!match)
    throw new InvalidArgumentError(
      `'${text}' is not a period: write <${PERIOD_TYPES.join('|')}>:<length>, e.g. month:2`,
    );
  return { type: match[1] as PeriodType, length: Number(match[2]) };
}

export interface Bar {
  update(done: number, total: number): void;
  stop(): void;
}

/** cli-progress on stderr (stdout keeps the result); nothing with --json. */
export async function progressBar(visible: boolean, what: string): Promise<Bar> {
  if (!visible) return { update: () => {}, stop: () => {} };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${what} {bar} {value}/{total}`,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

/** The reader of stdout went away (`| head`): the export stops quietly. */
export class StdoutClosed extends Error {}

/** Writes to stdout, waiting for the pipe to drain when it is full; throws StdoutClosed once the pipe closed. */
export function stdoutWriter(): (text: string) => Promise<void> | void {
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return (text) => {
    if (closed) throw new StdoutClosed();
    if (process.stdout.write(text)) return;
    return new Promise((resolve) => {
      const done = (): void => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        resolve();
      };
      process.stdout.once('drain', done);
      process.stdout.once('error', done);
    });
  };
}
