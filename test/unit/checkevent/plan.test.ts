import { eventDate, readDataChange, EventProblem } from '../../../src/events/event-types';
import {
  addonKey,
  planBatch,
  plannedCallbacks,
  type BatchFacts,
  type PendingEvent,
} from '../../../src/events/plan';

let nextRow = 1;
function event(fields: Partial<PendingEvent> & Pick<PendingEvent, 'type'>): PendingEvent {
  const rowId = nextRow++;
  return {
    rowId,
    sellingEventId: String(rowId + 100),
    sellingItem: '1001',
    item: 10,
    param: '',
    value: '',
    ...fields,
  };
}

function facts(overrides: Partial<BatchFacts> = {}): BatchFacts {
  return {
    statuses: new Map([
      [10, 2],
      [11, 1],
    ]),
    addons: new Map([
      [addonKey(10, '12'), { child: 50, addontype: 2, enumeration: null }],
      [addonKey(10, '13'), { child: 51, addontype: 1, enumeration: null }],
      [addonKey(10, '14'), { child: 52, addontype: 3, enumeration: 3 }],
    ]),
    ipAddons: new Map([[10, 60]]),
    ipRows: new Map(),
    enumerationItem: (_item, addon, enumeration, value) =>
      addon === '14' && enumeration === 3 && value === '31'
        ? 700
        : new EventProblem(`no item for '${value}'`),
    ...overrides,
  };
}

describe('planBatch', () => {
  it('keeps the last value of a parameter changed twice', () => {
    const plan = planBatch(
      [
        event({ type: 'param', param: 'ostempl', value: 'debian-11' }),
        event({ type: 'param', param: 'ostempl', value: 'debian-12' }),
      ],
      facts(),
    );
    expect([...plan.writes.params.values()]).toEqual([{ item: 10, intname: 'ostempl', value: 'debian-12' }]);
    expect(plan.applied).toHaveLength(2);
  });

  it('ends with the address absent when it was added and then removed', () => {
    const plan = planBatch(
      [
        event({ type: 'ip_add', param: 'ip', value: '198.51.100.7' }),
        event({ type: 'ip_del', param: 'ip', value: '198.51.100.7' }),
      ],
      facts(),
    );
    expect([...plan.writes.ips.values()]).toEqual([
      { item: 10, addon: 60, address: '198.51.100.7', present: false },
    ]);
  });

  it('writes each add-on type to its own column of the child item', () => {
    const plan = planBatch(
      [
        event({ type: 'addon', param: '12', value: '2048' }),
        event({ type: 'addon', param: '13', value: 'on' }),
        event({ type: 'addon', param: '14', value: '31' }),
      ],
      facts(),
    );
    expect(plan.writes.addons).toEqual(
      new Map<number, unknown>([
        [50, { column: 'intvalue', value: 2048 }],
        [51, { column: 'boolvalue', value: 'on' }],
        [52, { column: 'enumerationitem', value: 700 }],
      ]),
    );
  });

  it('reads an add-on event that names the order form field (addon_14) as one that names the add-on id', () => {
    const plan = planBatch(
      [
        event({ type: 'addon', param: 'addon_12', value: '4096' }),
        event({ type: 'addon', param: 'addon_14', value: '31' }),
      ],
      facts(),
    );
    expect(plan.kept).toEqual(new Map());
    expect(plan.writes.addons).toEqual(
      new Map<number, unknown>([
        [50, { column: 'intvalue', value: 4096 }],
        [52, { column: 'enumerationitem', value: 700 }],
      ]),
    );
  });

  it("records the IPs a setup event carries as ip_add's, and keeps one whose IP cannot be read", () => {
    const withIps = event({ type: 'setup', item: 11, param: 'ip', value: '198.51.100.7, 198.51.100.8' });
    const bare = event({ type: 'setup', item: 11 });
    const broken = event({ type: 'setup', item: 10, param: 'ip', value: 'not-an-ip' });
    const noAddon = event({ type: 'setup', item: 10, param: 'ip', value: '198.51.100.9' });
    const plan = planBatch([withIps, bare, broken, noAddon], facts({ ipAddons: new Map([[11, 61]]) }));

    expect(plan.applied).toEqual([withIps, bare]);
    expect([...plan.writes.ips.values()]).toEqual([
      { item: 11, addon: 61, address: '198.51.100.7', present: true },
      { item: 11, addon: 61, address: '198.51.100.8', present: true },
    ]);
    expect(plan.kept.get(noAddon.rowId)).toMatch(/service 10 has no IP add-on/);
    expect(plan.kept.get(broken.rowId)).toBe("setup: 'not-an-ip' is not an IP address");
  });

  it('moves the expiry date to the prolong event date', () => {
    const plan = planBatch([event({ type: 'prolong', value: '2027-01-31' })], facts());
    expect(plan.writes.expiredates).toEqual(new Map([[10, '2027-01-31']]));
  });

  it('keeps an unknown type, an unknown service and a bad value with their errors and applies the rest', () => {
    const unknownType = event({ type: 'reboot' });
    const unknownItem = event({ type: 'suspend', item: null, sellingItem: '9999' });
    const badDate = event({ type: 'prolong', value: 'soon' });
    const noAddon = event({ type: 'addon', param: '99', value: '1' });
    const badAddon = event({ type: 'addon', param: 'addon_x', value: '1' });
    const good = event({ type: 'param', param: 'username', value: 'alice' });
    const plan = planBatch([unknownType, unknownItem, badDate, noAddon, badAddon, good], facts());
    expect(plan.kept.get(badAddon.rowId)).toBe(
      "addon: 'addon_x' is not a selling add-on id (122 or addon_122)",
    );
    expect(plan.applied).toEqual([good]);
    expect(plan.kept.get(unknownType.rowId)).toBe("unknown event type 'reboot'");
    expect(plan.kept.get(unknownItem.rowId)).toMatch(/selling service 9999/);
    expect(plan.kept.get(badDate.rowId)).toMatch(/not a date/);
    expect(plan.kept.get(noAddon.rowId)).toMatch(/no add-on of selling add-on 99/);
  });

  it('keeps every event of a service whose callback failed, and only those', () => {
    const suspend = event({ type: 'suspend', item: 10 });
    const param = event({ type: 'param', item: 10, param: 'a', value: 'b' });
    const other = event({ type: 'setup', item: 11 });
    const plan = planBatch(
      [suspend, param, other],
      facts(),
      new Map([[10, 'service.postsuspend failed: boom']]),
    );
    expect(plan.applied).toEqual([other]);
    expect(plan.kept.get(suspend.rowId)).toBe('service.postsuspend failed: boom');
    expect(plan.kept.get(param.rowId)).toBe('service.postsuspend failed: boom');
    expect(plan.writes.params.size).toBe(0);
  });
});

describe('plannedCallbacks', () => {
  it('plans per service from its status, skipping unknown services', () => {
    const callbacks = plannedCallbacks(
      [
        event({ type: 'setup', item: 11 }),
        event({ type: 'suspend', item: 10 }),
        event({ type: 'setup', item: null }),
      ],
      facts().statuses,
    );
    expect(callbacks).toEqual(
      new Map([
        [11, ['service.postopen']],
        [10, ['service.postsuspend']],
      ]),
    );
  });
});

describe('readDataChange', () => {
  it('reads an IP address from the value, as the selling side sends it', () => {
    expect(readDataChange('ip_add', 'ip', '2001:db8::1')).toEqual({
      kind: 'ip',
      add: true,
      address: '2001:db8::1',
    });
    expect(readDataChange('ip_del', 'ip', 'not-an-ip')).toBeInstanceOf(EventProblem);
  });

  it('refuses a parameter event without a name', () => {
    expect(readDataChange('param', '', 'x')).toBeInstanceOf(EventProblem);
  });
});

describe('eventDate', () => {
  it('keeps a selling date and refuses what is not one', () => {
    expect(eventDate('2026-11-23 10:15:00')).toBe('2026-11-23 10:15:00');
    expect(eventDate('2026-02-30 10:15:00')).toBeNull();
    expect(eventDate('')).toBeNull();
  });
});
