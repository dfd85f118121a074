/** Everything the sandbox knows, in memory: what tests inspect and drive, and what the routes serve. */
import { toMajorString, type Money } from '../domain/money';
import { Accounts } from './accounts';
import { CallLog } from './calls';
import { EventQueue } from './events';
import { SellingServices, type ExistingItem, type ItemChanges, type OrderRequest } from './services';
import { Sessions } from './sessions';
import { TariffCatalog } from './tariffs';
import type { NewAddon, NewEnumerationItem } from './tariffs-seed';
import type {
  AnswerShape,
  AccountView,
  EnumerationItem,
  ItemEvent,
  ItemEventType,
  ItemType,
  OsTemplate,
  SandboxAccount,
  SandboxCall,
  SellingAddon,
  SellingItem,
  SellingTariff,
} from './types';

export interface SandboxStateOptions {
  shape: AnswerShape;
  accounts: readonly SandboxAccount[];
  sessionTtlMs: number;
  autoActivate: boolean;
  now: () => Date;
}

export interface InjectedEvent {
  /** Selling item id. */
  item: number;
  type: ItemEventType;
  param?: string;
  value?: string;
}

export class SandboxState {
  readonly catalog = new TariffCatalog();
  private readonly accountBook: Accounts;
  private readonly sessions: Sessions;
  private readonly queue: EventQueue;
  private readonly services: SellingServices;
  private readonly callLog = new CallLog();
  /** How answers are worded (see AnswerShape); tests switch it to run the same steps in each shape. */
  shape: AnswerShape;

  constructor(readonly options: SandboxStateOptions) {
    this.shape = options.shape;
    this.accountBook = new Accounts(options.accounts);
    this.sessions = new Sessions(options.sessionTtlMs, options.now);
    this.queue = new EventQueue(options.now);
    this.services = new SellingServices(
      this.catalog,
      this.accountBook,
      this.queue,
      options.now,
      options.autoActivate,
    );
  }

  // --- tariffs -------------------------------------------------------------

  tariffs(itemtype?: ItemType): SellingTariff[] {
    return this.catalog.all(itemtype);
  }

  tariff(id: number): SellingTariff {
    return this.catalog.get(id);
  }

  tariffByIntname(intname: string): SellingTariff {
    return this.catalog.byIntname(intname);
  }

  setTariffActive(tariffId: number, active: boolean): void {
    this.catalog.setTariffActive(tariffId, active);
  }

  addAddon(tariffId: number, addon: NewAddon): SellingAddon {
    return this.catalog.addAddon(tariffId, addon);
  }

  removeAddon(tariffId: number, addonId: number): void {
    this.catalog.removeAddon(tariffId, addonId);
  }

  setAddonActive(tariffId: number, addonId: number, active: boolean): void {
    this.catalog.setAddonActive(tariffId, addonId, active);
  }

  addOsTemplate(tariffId: number, os: OsTemplate): void {
    this.catalog.addOsTemplate(tariffId, os);
  }

  removeOsTemplate(tariffId: number, intname: string): void {
    this.catalog.removeOsTemplate(tariffId, intname);
  }

  setTag(tariffId: number, osIntname: string, tags: string[]): void {
    this.catalog.setTag(tariffId, osIntname, tags);
  }

  addEnumerationItem(tariffId: number, addonId: number, item: NewEnumerationItem): EnumerationItem {
    return this.catalog.addEnumerationItem(tariffId, addonId, item);
  }

  removeEnumerationItem(tariffId: number, addonId: number, itemId: number): void {
    this.catalog.removeEnumerationItem(tariffId, addonId, itemId);
  }

  // --- accounts and sessions -----------------------------------------------

  accounts(): AccountView[] {
    return this.accountBook.all();
  }

  account(username: string): AccountView {
    return this.accountBook.get(username);
  }

  authenticate(username: string, password: string): AccountView | undefined {
    return this.accountBook.authenticate(username, password);
  }

  balance(username = 'reseller'): Money {
    return this.accountBook.get(username).balance;
  }

  setBalance(username: string, major: string): void {
    this.accountBook.setBalance(username, major);
  }

  startSession(username: string): string {
    return this.sessions.start(username);
  }

  /** The user of a live session (refreshing it), or undefined when unknown or expired. */
  sessionUser(sid: string): string | undefined {
    return this.sessions.use(sid);
  }

  /** Ends every session at once, as if an hour had passed: clients must authenticate again. */
  expireSessions(): void {
    this.sessions.expireAll();
  }

  // --- services ------------------------------------------------------------

  items(): SellingItem[] {
    return this.services.all();
  }

  /** The service, or undefined when there is none with this id. */
  findItem(id: number): SellingItem | undefined {
    return this.services.find(id);
  }

  /** The service, or an error type="missed" object="elid". */
  item(id: number): SellingItem {
    return this.services.get(id);
  }

  itemByRemoteid(remoteid: string): SellingItem | undefined {
    return this.services.byRemoteid(remoteid);
  }

  order(username: string, request: OrderRequest): SellingItem {
    return this.services.order(username, request);
  }

  addItem(existing: ExistingItem): SellingItem {
    return this.services.addExisting(existing);
  }

  activate(id: number): SellingItem {
    return this.services.activate(id);
  }

  suspend(id: number): void {
    this.services.suspend(id);
  }

  resume(id: number): void {
    this.services.resume(id);
  }

  remove(id: number): void {
    this.services.remove(id);
  }

  prolong(id: number, period: number): SellingItem {
    return this.services.prolong(id, period);
  }

  edit(id: number, changes: ItemChanges): SellingItem {
    return this.services.edit(id, changes);
  }

  addIp(id: number, ip?: string): string {
    return this.services.addIp(id, ip);
  }

  removeIp(id: number, ip: string): void {
    this.services.removeIp(id, ip);
  }

  // --- events --------------------------------------------------------------

  /** Puts any event in the queue, without changing the service. */
  emitEvent(event: InjectedEvent): ItemEvent {
    return this.services.emit(this.services.get(event.item), event.type, event.param, event.value);
  }

  /** Events not yet acknowledged, oldest first. */
  events(): ItemEvent[] {
    return this.queue.pending();
  }

  /** Pending events `accept` lets through, oldest first: `skip` left out, then at most `count`. */
  eventPage(accept: (event: ItemEvent) => boolean, skip: number, count: number): ItemEvent[] {
    return this.queue.page(accept, skip, count);
  }

  /** The pending event `id`, if it is still waiting. */
  pendingEvent(id: number): ItemEvent | undefined {
    return this.queue.get(id);
  }

  acknowledgeEvents(ids: readonly number[]): number[] {
    return this.queue.acknowledge(ids);
  }

  acknowledgedEventIds(): number[] {
    return this.queue.acknowledged();
  }

  // --- calls ---------------------------------------------------------------

  recordCall(func: string, params: Record<string, string>, fault?: string): void {
    this.callLog.record(func, params, fault);
  }

  /** Requests received (secrets removed), optionally only those of one func. */
  calls(func?: string): SandboxCall[] {
    return this.callLog.all(func);
  }

  callCount(func: string): number {
    return this.callLog.count(func);
  }

  clearCalls(): void {
    this.callLog.clear();
  }

  /** A JSON-ready picture of the state, for `GET /sandbox/state`. */
  snapshot(): Record<string, unknown> {
    return {
      accounts: this.accounts().map((a) => ({
        username: a.username,
        level: a.level,
        balance: toMajorString(a.balance),
        currency: a.balance.currency,
      })),
      tariffs: this.tariffs(),
      items: this.items(),
      events: this.events(),
      acknowledgedEventIds: this.acknowledgedEventIds(),
      calls: this.calls(),
    };
  }
}
