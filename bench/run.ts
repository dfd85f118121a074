/**
 * `npm run bench`: runs every figure module and prints one JSON line per figure; a failure is a line with `error`.
 * `node dist/bench/run.js checkevent coldstart` runs only the modules named.
 */
import type { Figure, FigureModule } from './figure';
import { FIGURES } from './figures';

type Write = (line: string) => void;

/** Resolves to false when any figure could not be measured; the others are still printed. */
export async function runBench(
  figures: Readonly<Record<string, () => Promise<FigureModule>>> = FIGURES,
  write: Write = (line) => process.stdout.write(line + '\n'),
): Promise<boolean> {
  let allMeasured = true;
  for (const [module, load] of Object.entries(figures)) {
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
  if (!Number.isFinite(value)) throw new Error(`figure ${name} is not a finite number: ${value}`);
  return { name, value, unit, ...(target !== undefined ? { target } : {}) };
}

/** The figure modules named on the command line, or all of them when none is named. */
export function selectFigures(
  names: readonly string[],
  figures: Readonly<Record<string, () => Promise<FigureModule>>> = FIGURES,
): Readonly<Record<string, () => Promise<FigureModule>>> {
  if (names.length === 0) return figures;
  const unknown = names.filter((name) => !(name in figures));
  if (unknown.length > 0) {
    throw new Error(`no figure module ${unknown.join(', ')}; there are: ${Object.keys(figures).join(', ')}`);
  }
  return Object.fromEntries(Object.entries(figures).filter(([name]) => names.includes(name)));
}

if (require.main === module) {
  void Promise.resolve()
    .then(() => runBench(selectFigures(process.argv.slice(2))))
    .then(
      (ok) => {
        if (!ok) process.exitCode = 1;
      },
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
}
