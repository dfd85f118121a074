/** Applied rows are addressed by runs of consecutive ids: every id once, none that was not asked for. */
import { idRuns } from '../../../src/db/batch';

describe('idRuns', () => {
  it('joins consecutive ids into ranges and keeps gaps (kept events) out of them', () => {
    expect(idRuns([1, 2, 3, 4, 6, 7, 9])).toEqual([
      [1, 4],
      [6, 7],
      [9, 9],
    ]);
  });

  it('sorts and drops repeated ids', () => {
    expect(idRuns([12, 10, 11, 11, 3])).toEqual([
      [3, 3],
      [10, 12],
    ]);
  });

  it('gives nothing for no ids', () => {
    expect(idRuns([])).toEqual([]);
  });
});
