/**
 * The host adapter's side of mgrctl: every call of the plugin into the core, each in the form ISPsystem's SDK
 * sends it (contract section 3). Changing calls carry `sok=ok`; a parameter is saved under its own name.
 */
import { HostError } from '../contract/errors';
import type { Mgrctl, MgrctlParams } from '../contract/mgrctl';
import { textOf, type XmlNode } from '../contract/xml';
import { readParamlist } from '../db/connect';
import type { IpCommitJournal } from '../db/itemip';
import {
  CONFIRMED,
  CORE_FUNCTIONS as F,
  IP_ADD_ANSWER_ID,
  PAYMENT_ADD_ANSWER_ID,
  EXPENSE_ADD_ANSWER_ID,
  type LifecycleCallback,
} from './facts';

/** One call as mgrctl receives it: the function and its `key=value` pairs, `sok=ok` included when it changes. */
export interface CoreCall {
  func: string;
  params: MgrctlParams;
}

export interface IpAddress {
  ip: string;
  mask?: string;
  gateway?: string;
  domain?: string;
}

/** A changing call: the parameters and `sok=ok`. */
export function confirmed(func: string, params: MgrctlParams): CoreCall {
  return { func, params: { ...params, ...CONFIRMED } };
}

/** The calls, made as given: the one place that builds them. */
export const coreCalls = {
  lifecycle: (func: LifecycleCallback, item: number): CoreCall => confirmed(func, { elid: item }),
  setManual: (operation: number): CoreCall => confirmed(F.setManual, { elid: operation }),
  editOperation: (operation: number, errorxml: string): CoreCall =>
    confirmed(F.editOperation, { elid: operation, errorxml }),
  /** `service.saveparam elid= <param>=<value> crypted=on|off sok=ok`: the parameter's own name is the key. */
  saveParam: (item: number, name: string, value: string, crypted = false): CoreCall => {
    if (RESERVED_PARAM_KEYS.has(name))
      throw new HostError('value', 'param', `'${name}' cannot be saved as a service parameter by saveparam`);
    return confirmed(F.saveParam, { elid: item, [name]: value, crypted: crypted ? 'on' : 'off' });
  },
  dropParam: (item: number, name: string): CoreCall => confirmed(F.dropParam, { elid: item, name }),
  setExpireDate: (item: number, expiredate: string): CoreCall =>
    confirmed(F.setExpireDate, { elid: item, expiredate }),
  setStatus: (item: number, status: number): CoreCall =>
    confirmed(F.setStatus, { elid: item, service_status: status }),
  addIp: (ipAddon: number, address: IpAddress): CoreCall =>
    confirmed(F.addIp, {
      elid: ipAddon,
      ip: address.ip,
      mask: address.mask ?? '',
      gateway: address.gateway ?? '',
      domain: address.domain ?? '',
    }),
  commitIp: (ipRow: number): CoreCall => confirmed(F.commitIp, { elid: ipRow }),
  deleteIp: (ipRow: number): CoreCall => confirmed(F.deleteIp, { elid: ipRow }),
  /** A new payment on the account, not yet credited: `amount` is a decimal string in the currency of `currency`. */
  addPayment: (payment: NewPayment): CoreCall =>
    confirmed(F.addPayment, {
      account: payment.account,
      project: payment.project,
      amount: payment.amount,
      currency: payment.currency,
      info: payment.info,
    }),
  setPaid: (payment: number): CoreCall => confirmed(F.setPaid, { elid: payment }),
  /** A new expense on the account (funds taken back): never with `elid`, which would edit an existing one. */
  addExpense: (expense: NewExpense): CoreCall =>
    confirmed(F.addExpense, {
      account: expense.account,
      subaccount: expense.project,
      amount: expense.amount,
      currency: expense.currency,
      name: expense.name,
    }),
} as const;

/** A payment as `payment.add` takes it: the host's account, provider and currency ids. */
export interface NewPayment {
  account: number;
  project: number;
  /** Major units as a decimal string ("12.35"), from money.ts. */
  amount: string;
  currency: number;
  info: string;
}

/** An expense as `expense.edit` takes it (facts.ts): the host's account, provider and currency ids. */
export interface NewExpense {
  account: number;
  project: number;
  /** Major units as a positive decimal string ("7.00"), from money.ts. */
  amount: string;
  currency: number;
  /** Unique per debit: how a debit whose answer was lost is found. */
  name: string;
}

/** Keys saveparam reads for itself: a parameter of these names cannot be saved through it. */
const RESERVED_PARAM_KEYS = new Set(['elid', 'sok', 'crypted', 'out', 'lang', 'func', 'su', 'auth']);

export function call(mgrctl: Mgrctl, { func, params }: CoreCall): Promise<XmlNode> {
  return mgrctl.call(func, params);
}

/** The row id service.ip.add answers (`<ip.id>`). */
export function addedIpId(answer: XmlNode): number {
  return answeredId(answer, IP_ADD_ANSWER_ID, F.addIp);
}

/** The payment id payment.add answers (`<payment.id>`). */
export function addedPaymentId(answer: XmlNode): number {
  return answeredId(answer, PAYMENT_ADD_ANSWER_ID, F.addPayment);
}

/** The expense id expense.edit answers (`<expense.id>`). */
export function addedExpenseId(answer: XmlNode): number {
  return answeredId(answer, EXPENSE_ADD_ANSWER_ID, F.addExpense);
}

function answeredId(answer: XmlNode, element: string, func: string): number {
  const id = Number(textOf(answer[element]));
  if (!Number.isInteger(id) || id <= 0)
    throw new HostError('xml', func, `the core did not answer ${func} with the new row's id`);
  return id;
}

/**
 * `service.ip.add` on the service's IP add-on, then `service.ip.add.commit` of the row it made. With a journal, the
 * row is noted between the two calls, so a commit that fails (or a process killed before it) is made later.
 */
export async function addIp(
  mgrctl: Mgrctl,
  ipAddon: number,
  address: IpAddress,
  journal?: IpCommitJournal,
): Promise<number> {
  const id = addedIpId(await call(mgrctl, coreCalls.addIp(ipAddon, address)));
  await journal?.added([id]);
  await commitIp(mgrctl, id, journal);
  return id;
}

/** `service.ip.add.commit` of a row added earlier; the journal forgets it once the core answers. */
export async function commitIp(mgrctl: Mgrctl, ipRow: number, journal?: IpCommitJournal): Promise<void> {
  await call(mgrctl, coreCalls.commitIp(ipRow));
  await journal?.committed([ipRow]);
}

/** The core's settings (`paramlist`), by name. */
export async function paramlist(mgrctl: Mgrctl): Promise<Record<string, string>> {
  return readParamlist(await mgrctl.call(F.paramlist));
}
