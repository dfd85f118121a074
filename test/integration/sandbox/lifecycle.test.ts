import { toMajorString } from '../../../src/domain/money';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import type { SellingItem } from '../../../src/sandbox/types';
import { call, elems, errorOf, type Params } from './selling-http';

const AUTH = { authinfo: 'reseller:reseller-secret' };

describe('sandbox service lifecycle and its events', () => {
  let sandbox: Sandbox;
  let vps: SellingItem;

  const act = (params: Params) => call(sandbox.url, { ...AUTH, ...params });
  const eventTypes = (): string[] => sandbox.state.events().map((e) => e.type);

  beforeEach(async () => {
    sandbox = await startSandbox({ now: () => new Date('2025-05-10T08:30:00Z') });
    const tariff = sandbox.state.tariffByIntname('vps-start');
    vps = sandbox.state.addItem({ pricelist: tariff.id, remoteid: '42', expiredate: '2025-06-10' });
  });
  afterEach(() => sandbox.close());

  it('suspends, resumes and deletes, with one event each and the status in the list', async () => {
    expect((await act({ func: 'vds.suspend', elid: vps.id, sok: 'ok' })).doc.ok).toBe('');
    expect(sandbox.state.item(vps.id).status).toBe(3);
    await act({ func: 'vds.suspend', elid: vps.id, sok: 'ok' });
    await act({ func: 'vds.resume', elid: vps.id, sok: 'ok' });
    await act({ func: 'vds.delete', elid: vps.id, sok: 'ok' });
    await act({ func: 'vds.delete', elid: vps.id, sok: 'ok' });
    expect(eventTypes()).toEqual(['suspend', 'activate', 'delete']);
    const [listed] = elems((await act({ func: 'vds', remoteid: 42 })).doc);
    expect(listed?.status).toBe('4');
  });

  it('refuses to resume a deleted service', async () => {
    sandbox.state.remove(vps.id);
    const { doc } = await act({ func: 'vds.resume', elid: vps.id, sok: 'ok' });
    expect(errorOf(doc)).toMatchObject({ type: 'value', object: 'elid' });
  });

  it('refuses a lifecycle call on another item type or an unknown id', async () => {
    expect(errorOf((await act({ func: 'dedic.suspend', elid: vps.id })).doc)).toMatchObject({
      type: 'missed',
    });
    expect(errorOf((await act({ func: 'vds.suspend', elid: 5 })).doc)).toMatchObject({ type: 'missed' });
    expect(errorOf((await act({ func: 'vds.suspend', elid: 'x' })).doc)).toMatchObject({
      type: 'value',
      object: 'elid',
    });
  });

  it('prolongs: charges the period, moves the expiry date and reports it in a prolong event', async () => {
    await act({ func: 'service.prolong', elid: vps.id, period: 3, sok: 'ok' });
    expect(sandbox.state.item(vps.id).expiredate).toBe('2025-09-10');
    expect(toMajorString(sandbox.state.balance('reseller'))).toBe('973.00');
    expect(sandbox.state.events()).toEqual([
      expect.objectContaining({ type: 'prolong', value: '2025-09-10', remoteid: '42' }),
    ]);
  });

  it('refuses a prolongation the balance cannot pay, and changes nothing', async () => {
    sandbox.state.setBalance('reseller', '1.00');
    const { doc } = await act({ func: 'service.prolong', elid: vps.id, period: 12, sok: 'ok' });
    expect(errorOf(doc)?.type).toBe('balance');
    expect(sandbox.state.item(vps.id).expiredate).toBe('2025-06-10');
    expect(sandbox.state.events()).toEqual([]);
  });

  it('edits parameters and add-ons, with an event only for what really changed', async () => {
    const ram = sandbox.state.tariff(vps.pricelist).addons.find((a) => a.intname === 'ram');
    await act({ func: 'vds.edit', elid: vps.id, domain: 'b.example', [`addon_${ram?.id}`]: 1024, sok: 'ok' });
    await act({ func: 'vds.edit', elid: vps.id, [`addon_${ram?.id}`]: 4096, sok: 'ok' });
    expect(sandbox.state.events().map((e) => [e.type, e.param, e.value])).toEqual([
      ['param', 'domain', 'b.example'],
      ['addon', String(ram?.id), '4096'],
    ]);
    const bad = await act({ func: 'vds.edit', elid: vps.id, [`addon_${ram?.id}`]: 100, sok: 'ok' });
    expect(errorOf(bad.doc)).toMatchObject({ type: 'value', object: `addon_${ram?.id}` });
  });

  it('reports IP changes and injected events', async () => {
    const ip = sandbox.state.addIp(vps.id);
    sandbox.state.removeIp(vps.id, ip);
    sandbox.state.emitEvent({ item: vps.id, type: 'param', param: 'hostname', value: 'c.example' });
    expect(sandbox.state.events().map((e) => [e.type, e.value])).toEqual([
      ['ip_add', ip],
      ['ip_del', ip],
      ['param', 'c.example'],
    ]);
  });

  it('pages events oldest first with p_cnt, and the next page follows acknowledgement', async () => {
    for (const type of ['suspend', 'activate', 'suspend', 'activate', 'delete'] as const) {
      sandbox.state.emitEvent({ item: vps.id, type });
    }
    const first = elems((await act({ func: 'itemevent', p_cnt: 2 })).doc);
    expect(first.map((e) => e.type)).toEqual(['suspend', 'activate']);
    await act({ func: 'itemevent.delete', elid: first.map((e) => e.id).join(','), sok: 'ok' });
    const second = elems((await act({ func: 'itemevent', p_cnt: 2 })).doc);
    expect(second.map((e) => e.type)).toEqual(['suspend', 'activate']);
    expect(Number(second[0]?.id)).toBeGreaterThan(Number(first[1]?.id));
    expect(elems((await act({ func: 'itemevent', p_cnt: 2, p_num: 2 })).doc).map((e) => e.type)).toEqual([
      'delete',
    ]);
  });

  it('lists pre-existing services without a remoteid for service import', async () => {
    const hosting = sandbox.state.tariffByIntname('hosting-lite');
    const old = sandbox.state.addItem({ pricelist: hosting.id, name: 'old.example', period: 12 });
    const [listed] = elems((await act({ func: 'vhost' })).doc);
    expect(listed).toMatchObject({
      id: String(old.id),
      remoteid: '',
      name: 'old.example',
      status: '2',
      period: '12',
    });
    expect(listed?.ip).not.toBe('');
    expect(listed?.panelid).not.toBe('');
  });
});
