/** Services ordered on the selling side and their lifecycle; every change a real panel would report emits an event. */
import { HostError } from '../contract/errors';
import type { Accounts } from './accounts';
import { formatDate } from '../domain/dates';
import type { EventQueue } from './events';
import { chargeIn, extendBy, serviceCost } from './pricing';
import type { TariffCatalog } from './tariffs';
import { ItemStatus, type ItemEvent, type ItemEventType, type ItemType, type SellingItem } from './types';
import {
  addonValues,
  badValue,
  defaultAddonValues,
  orderableTariff,
  osTemplate,
  tariffPeriod,
} from './validation';

export interface OrderRequest {
  itemtype: ItemType;
  pricelist: number;
  /** API period code. */
  period: number;
  remoteid?: string;
  ostempl?: string;
  /** Add-on values by add-on id; the ones left out get the tariff's defaults. */
  addons?: Record<number, string>;
  /** Other order parameters kept on the service (domain, datacenter). */
  params?: Record<string, string>;
}

/** A service that already exists on the selling side, e.g. for service-import tests. */
export interface ExistingItem {
  pricelist: number;
  period?: number;
  status?: SellingItem['status'];
  /** The selling account it belongs to; 'reseller' unless told. */
  owner?: string;
  /** The service's own login; hosting accounts get `site<id>` unless told. */
  username?: string;
  remoteid?: string;
  name?: string;
  opendate?: string;
  expiredate?: string;
  ips?: string[];
  params?: Record<string, string>;
  addons?: Record<number, string>;
}

export interface ItemChanges {
  params?: Record<string, string>;
  addons?: Record<number, string>;
}

/** Item types whose services get an IP address when they are set up. */
const HAS_IP: ReadonlySet<ItemType> = new Set(['vds', 'dedic', 'vhost']);

export class SellingServices {
  private nextId = 1001;
  private nextIp = 10;
  private readonly list: SellingItem[] = [];
  /** The same services by id: a lookup per event must not scan the list. */
  private readonly byId = new Map<number, SellingItem>();

  constructor(
    private readonly catalog: TariffCatalog,
    private readonly accounts: Accounts,
    private readonly events: EventQueue,
    private readonly now: () => Date,
    private readonly autoActivate: boolean,
  ) {}

  all(): SellingItem[] {
    return [...this.list];
  }

  find(id: number): SellingItem | undefined {
    return this.byId.get(id);
  }

  /** The service, or type="missed" object="elid" (what a panel answers for an unknown id). */
  get(id: number): SellingItem {
    const item = this.find(id);
    if (!item) throw new HostError('missed', 'elid', `no service ${id}`, { value: String(id) });
    return item;
  }

  /** The first service ordered with this remoteid; a panel does not keep remoteids unique. */
  byRemoteid(remoteid: string): SellingItem | undefined {
    return this.list.find((i) => i.remoteid === remoteid);
  }

  /** Places an order: validates, charges the account, creates the service (status 1 unless autoActivate). */
  order(username: string, request: OrderRequest): SellingItem {
    if (this.accounts.get(username).level === 'admin') {
      throw new HostError(
        'access',
        'func',
        'an administrator account cannot order services: use a client account',
      );
    }
    const tariff = orderableTariff(this.catalog, request.itemtype, request.pricelist);
    tariffPeriod(tariff, request.period);
    const ostempl = osTemplate(tariff, request.ostempl);
    const addons = { ...defaultAddonValues(tariff), ...addonValues(tariff, request.addons ?? {}) };
    const account = this.accounts.get(username);
    const cost = serviceCost(tariff, request.period, addons);
    this.accounts.charge(username, chargeIn(cost, tariff.currency, account.balance.currency));
    const params = { ...(request.params ?? {}), ...(ostempl ? { ostempl } : {}) };
    const item = this.create({ ...request, status: ItemStatus.ordered, owner: username, addons, params });
    if (this.autoActivate) this.activate(item.id);
    return item;
  }

  /** Adds a service as if it had been ordered long ago: no charge, no event. Active unless told otherwise. */
  addExisting(existing: ExistingItem): SellingItem {
    const tariff = this.catalog.get(existing.pricelist);
    const period = existing.period ?? 1;
    const status = existing.status ?? ItemStatus.active;
    const item = this.create({
      ...existing,
      itemtype: tariff.itemtype,
      period,
      status,
      owner: existing.owner ?? 'reseller',
      addons: existing.addons ?? defaultAddonValues(tariff),
      params: existing.params ?? {},
    });
    if (status !== ItemStatus.ordered) {
      item.opendate = existing.opendate ?? this.today();
      item.expiredate = existing.expiredate ?? extendBy(item.opendate, tariffPeriod(tariff, period));
      item.ips = existing.ips ?? (HAS_IP.has(item.itemtype) ? [this.takeIp()] : []);
      item.panelid = `${item.itemtype}-${item.id}`;
    }
    return item;
  }

  /** The selling side finished setting the service up: status 2, dates, an IP, and the 'setup' event. */
  activate(id: number): SellingItem {
    const item = this.get(id);
    if (item.status !== ItemStatus.ordered && item.status !== ItemStatus.processing) {
      throw badValue('elid', String(id), `service ${id} is not waiting for setup (status ${item.status})`);
    }
    const tariff = this.catalog.get(item.pricelist);
    item.status = ItemStatus.active;
    item.opendate = this.today();
    item.expiredate = extendBy(item.opendate, tariffPeriod(tariff, item.period));
    if (HAS_IP.has(item.itemtype) && item.ips.length === 0) item.ips.push(this.takeIp());
    item.panelid = `${item.itemtype}-${item.id}`;
    // The answer shape decides whether the event shows the IP (render.ts eventXml).
    this.emit(item, 'setup', item.ips.length ? 'ip' : '', item.ips.join(','));
    return item;
  }

  /** Suspending a suspended service changes nothing and emits nothing. */
  suspend(id: number): void {
    const item = this.live(id);
    if (item.status === ItemStatus.suspended) return;
    this.requireStatus(item, ItemStatus.active, 'suspended');
    item.status = ItemStatus.suspended;
    this.emit(item, 'suspend');
  }

  resume(id: number): void {
    const item = this.live(id);
    if (item.status === ItemStatus.active) return;
    this.requireStatus(item, ItemStatus.suspended, 'resumed');
    item.status = ItemStatus.active;
    this.emit(item, 'activate');
  }

  /** Deleting a deleted service changes nothing. */
  remove(id: number): void {
    const item = this.get(id);
    if (item.status === ItemStatus.deleted) return;
    item.status = ItemStatus.deleted;
    this.emit(item, 'delete');
  }

  /** Charges one more period and moves the expiry date; emits 'prolong' with the new date. */
  prolong(id: number, period: number): SellingItem {
    const item = this.live(id);
    if (item.status !== ItemStatus.active && item.status !== ItemStatus.suspended) {
      throw badValue('elid', String(id), `service ${id} is not active yet`);
    }
    const tariff = this.catalog.get(item.pricelist);
    const price = tariffPeriod(tariff, period);
    const currency = this.accounts.get(item.owner).balance.currency;
    this.accounts.charge(
      item.owner,
      chargeIn(serviceCost(tariff, period, item.addons), tariff.currency, currency),
    );
    item.expiredate = extendBy(item.expiredate || this.today(), price);
    this.emit(item, 'prolong', '', item.expiredate);
    return item;
  }

  /** Changes parameters and add-ons; each value that really changes emits 'param' or 'addon'. Not charged. */
  edit(id: number, changes: ItemChanges): SellingItem {
    const item = this.live(id);
    const addons = addonValues(this.catalog.get(item.pricelist), changes.addons ?? {});
    for (const [name, value] of Object.entries(changes.params ?? {})) {
      if (item.params[name] === value) continue;
      item.params[name] = value;
      this.emit(item, 'param', name, value);
    }
    for (const [addonId, value] of Object.entries(addons)) {
      if (item.addons[Number(addonId)] === value) continue;
      item.addons[Number(addonId)] = value;
      this.emit(item, 'addon', addonId, value);
    }
    return item;
  }

  addIp(id: number, ip: string = this.takeIp()): string {
    const item = this.live(id);
    item.ips.push(ip);
    this.emit(item, 'ip_add', 'ip', ip);
    return ip;
  }

  removeIp(id: number, ip: string): void {
    const item = this.live(id);
    if (!item.ips.includes(ip)) throw badValue('ip', ip, `service ${id} has no IP ${ip}`);
    item.ips = item.ips.filter((i) => i !== ip);
    this.emit(item, 'ip_del', 'ip', ip);
  }

  emit(item: SellingItem, type: ItemEventType, param = '', value = ''): ItemEvent {
    return this.events.emit(item, type, param, value);
  }

  private create(
    fields: Omit<
      SellingItem,
      'id' | 'remoteid' | 'name' | 'opendate' | 'expiredate' | 'ips' | 'panelid' | 'username'
    > & {
      remoteid?: string;
      name?: string;
      username?: string;
    },
  ): SellingItem {
    const id = this.nextId++;
    const tariff = this.catalog.get(fields.pricelist);
    const item: SellingItem = {
      id,
      remoteid: fields.remoteid ?? '',
      itemtype: fields.itemtype,
      pricelist: fields.pricelist,
      period: fields.period,
      status: fields.status,
      name: fields.name ?? fields.params.domain ?? `${tariff.intname}-${id}`,
      opendate: '',
      expiredate: '',
      ips: [],
      addons: fields.addons,
      params: fields.params,
      owner: fields.owner,
      username: fields.username ?? (fields.itemtype === 'vhost' ? `site${id}` : ''),
      panelid: '',
    };
    this.list.push(item);
    this.byId.set(id, item);
    return item;
  }

  private live(id: number): SellingItem {
    const item = this.get(id);
    if (item.status === ItemStatus.deleted) throw badValue('elid', String(id), `service ${id} is deleted`);
    return item;
  }

  private requireStatus(item: SellingItem, status: SellingItem['status'], action: string): void {
    if (item.status !== status) {
      throw badValue(
        'elid',
        String(item.id),
        `service ${item.id} cannot be ${action} in status ${item.status}`,
      );
    }
  }

  /** Addresses from the documentation ranges (198.51.100.0/24, then 203.0.113.0/24), never real ones. */
  private takeIp(): string {
    const n = this.nextIp++;
    return n < 255 ? `198.51.100.${n}` : `203.0.113.${((n - 255) % 254) + 1}`;
  }

  private today(): string {
    return formatDate(this.now());
  }
}
