/**
 * Handler cold start: the median wall time of `handlers/pmbillmgr --command features` over that of `node -e ""`.
 * The two are run interleaved so that a busy machine slows both alike.
 */
import { spawnSync } from 'node:child_process';
import { projectPath } from '../../src/paths';
import type { Figure } from '../figure';

const RUNS = 15;
const WARMUP_RUNS = 2;
export const COLD_START_TARGET = 1.5;

export async function measure(): Promise<Figure[]> {
  const handler = timedRun(projectPath('handlers', 'pmbillmgr'), ['--command', 'features'], '<itemtypes>');
  const bareNode = timedRun(process.execPath, ['-e', ''], '');
  for (let i = 0; i < WARMUP_RUNS; i++) {
    handler();
    bareNode();
  }
  const handlerMs: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    handlerMs.push(handler());
    nodeMs.push(bareNode());
  }
  const handlerMedian = median(handlerMs);
  const nodeMedian = median(nodeMs);
  return [
    {
      name: 'handler_cold_start_ratio',
      value: round(handlerMedian / nodeMedian, 2),
      unit: 'ratio',
      target: COLD_START_TARGET,
    },
    { name: 'handler_cold_start_median', value: round(handlerMedian, 1), unit: 'ms' },
    { name: 'node_start_median', value: round(nodeMedian, 1), unit: 'ms' },
  ];
}

/** A function that runs the command once and returns its wall time in ms; a failed run throws. */
function timedRun(command: string, args: readonly string[], expectedOutput: string): () => number {
  return () => {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.error) throw new Error(`${command} did not start: ${result.error.message}`);
    if (result.status !== 0 || !result.stdout.includes(expectedOutput)) {
      throw new Error(
        `${command} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim().slice(0, 300)}`,
      );
    }
    return elapsedMs;
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  const lower = sorted[sorted.length % 2 === 0 ? middle - 1 : middle];
  if (upper === undefined || lower === undefined) throw new Error('median of no values');
  return (lower + upper) / 2;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
