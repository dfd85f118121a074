/**
 * kill -9 between two steps of checkevent, then a normal run: the same final state as a run that never crashed.
 * Real handler processes, bin/host-mgrctl for the callbacks, the sandbox over HTTP, MariaDB. `npm run build` first.
 */
import { CHECKEVENT_CRASH_POINTS } from '../../../src/config';
import {
  mixedScenario,
  startEventWorld,
  type EventWorld,
  type Snapshot,
} from '../../integration/checkevent/world';

let reference: Snapshot;

beforeAll(async () => {
  const clean = await startEventWorld();
  try {
    await mixedScenario(clean);
    const run = await clean.checkevent();
    // The scenario's two bad events are kept with their errors: exit 3, one line each.
    expect(run.code).toBe(3);
    expect(run.stdout.trim().split('\n')).toHaveLength(2);
    reference = await clean.snapshot();
  } finally {
    await clean.close();
  }
}, 120_000);

describe('a crash at any point of checkevent', () => {
  it('leaves a clean run with every event applied once and the two bad ones kept', () => {
    expect(reference.pendingOnSellingSide).toBe(0);
    expect(reference.receipts).toHaveLength(19);
    expect(reference.itemevents).toEqual([
      expect.objectContaining({ type: 'reboot', error: "unknown event type 'reboot'" }),
      expect.objectContaining({
        type: 'setup',
        item: null,
        error: expect.stringContaining('unknown service'),
      }),
    ]);
    // One callback per change of status: d's suspend and resume cancel out, e was deleted before it was seen open.
    // The one address added goes onto its service's IP add-on through the core.
    expect(reference.callbacks.map((c) => (c as { func: string }).func).sort()).toEqual([
      'service.ip.add',
      'service.ip.add.commit',
      'service.postclose',
      ...Array<string>(5).fill('service.postopen'),
      'service.postsuspend',
    ]);
  });

  let world: EventWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it.each(CHECKEVENT_CRASH_POINTS)(
    'killed %s, then run again: the same state as the clean run',
    async (point) => {
      world = await startEventWorld();
      await mixedScenario(world);

      const crashed = await world.checkevent([], { BMP_CHECKEVENT_CRASH_AT: point });
      expect(crashed.code).toBeNull(); // ended by SIGKILL, not by an exit
      const again = await world.checkevent();

      expect(again.code).toBe(3);
      expect(await world.snapshot()).toEqual(reference);
    },
    120_000,
  );
});
