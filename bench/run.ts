/** `npm run bench`: runs every figure module and prints one JSON line per figure; a failure is a line with `error`. */
import type { Figure } from './figure';
import { FIGURES } from './figures';

export async function runBench(
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Promise<boolean> {
  let allMeasured = true;
  for (const [module, load] of Object.entries(FIGURES)) {
    try {
      for (const figure of await (await load()).measure()) write(JSON.stringify(figureLine(figure)));
    } catch (err) {
      allMeasured = false;
      write(JSON.stringify({ name: module, error: err instanceof Error ? err.message : String(err) }));
    }
  }
  return allMeasured;
}

function figureLine({ name, value, unit, target }: Figure): Figure {
  return { name, value, unit, ...(target !== undefined ? { target } : {}) };
}

if (require.main === module) {
  void runBench().then((ok) => {
    if (!ok) process.exitCode = 1;
  });
}
