/** The bench runner's output contract: one JSON line per figure, a failed module is an error line and a false result. */
import { median } from '../../bench/figures/coldstart';
import { runBench } from '../../bench/run';

async function linesOf(figures: Parameters<typeof runBench>[0]): Promise<{ ok: boolean; lines: unknown[] }> {
  const lines: unknown[] = [];
  const ok = await runBench(figures, (line) => lines.push(JSON.parse(line)));
  return { ok, lines };
}

describe('runBench', () => {
  it('prints one line per figure, name, value and unit, with the target when there is one', async () => {
    const result = await linesOf({
      speed: async () => ({
        measure: async () => [
          { name: 'ratio', value: 1.25, unit: 'ratio', target: 1.5 },
          { name: 'time', value: 80, unit: 'ms' },
        ],
      }),
    });
    expect(result).toEqual({
      ok: true,
      lines: [
        { name: 'ratio', value: 1.25, unit: 'ratio', target: 1.5 },
        { name: 'time', value: 80, unit: 'ms' },
      ],
    });
  });

  it('reports a module that fails as an error line, goes on with the others, and returns false', async () => {
    const result = await linesOf({
      broken: async () => ({
        measure: async () => {
          throw new Error('handler exited 1');
        },
      }),
      missing: async () => {
        throw new Error('cannot load');
      },
      fine: async () => ({ measure: async () => [{ name: 'x', value: 1, unit: 'ms' }] }),
      nan: async () => ({ measure: async () => [{ name: 'y', value: Number.NaN, unit: 'ms' }] }),
    });
    expect(result).toEqual({
      ok: false,
      lines: [
        { name: 'broken', error: 'handler exited 1' },
        { name: 'missing', error: 'cannot load' },
        { name: 'x', value: 1, unit: 'ms' },
        { name: 'nan', error: 'figure y is not a finite number: NaN' },
      ],
    });
  });
});

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middles of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no values');
  });
});
