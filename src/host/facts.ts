/**
 * What the plugin takes the host core to be, named once. Facts from ISPsystem's plugin SDK (billmgr/misc.py,
 * billmgr/config.py) and the contract are stated as such; those no public source gives are marked [assumed], so
 * that a host that differs is fixed here and nowhere else.
 */

/** Every mgrctl function that changes something takes this pair; without it the core only shows the form. */
export const CONFIRMED = { sok: 'ok' } as const;

/** The item types of a service's IP add-on: an `ip` row's `item` is that add-on, never the service (SDK itemips). */
export const IP_ADDON_ITEMTYPES: readonly string[] = ['ip', 'privateip'];

/** The core's functions the plugin calls (contract section 3). */
export const CORE_FUNCTIONS = {
  paramlist: 'paramlist',
  setManual: 'runningoperation.setmanual',
  editOperation: 'runningoperation.edit',
  saveParam: 'service.saveparam',
  dropParam: 'service.dropparam',
  setExpireDate: 'service.setexpiredate',
  setStatus: 'service.setstatus',
  addIp: 'service.ip.add',
  commitIp: 'service.ip.add.commit',
  deleteIp: 'service.ip.del',
  importService: 'processing.import.service',
  importAssign: 'processing.import.assign',
  saveBalance: 'processing.savebalance',
  addPayment: 'payment.add',
  setPaid: 'payment.setpaid',
  addExpense: 'expense.edit',
} as const;

/** The lifecycle callbacks: the operation finished, the core sets the item's status. */
export const LIFECYCLE_CALLBACKS = [
  'service.postopen',
  'service.postsuspend',
  'service.postresume',
  'service.postclose',
  'service.postsetparam',
  'service.postprolong',
] as const;
export type LifecycleCallback = (typeof LIFECYCLE_CALLBACKS)[number];

/** The element of service.ip.add's answer that holds the new row's id. */
export const IP_ADD_ANSWER_ID = 'ip.id';

/**
 * [assumed] Crediting a client's account: `payment.add` (account, amount, currency id, info) makes a new payment
 * and answers its id in `<payment.id>`; `payment.setpaid elid=<id>` credits it, which raises the account's balance.
 * BILLmanager's API documents the payment list and its statuses, not these forms' fields, so both are named here
 * and nowhere else.
 */
export const PAYMENT_ADD_ANSWER_ID = 'payment.id';

/**
 * Taking funds back from a client's account (certificate funds unspent at the end of their term): a new expense, the
 * core's own record of a charge, never an edit of the payment that credited them. BILLmanager's API documents
 * `expense.edit` (admin) as creating an expense when called with `sok` and no `elid`, its form having `subaccount`
 * (the provider) and `item` (the service) among its fields.
 *
 * [assumed] The other fields: `account` (the client), `subaccount` takes the provider's id (`project`), `amount` a
 * positive decimal in major units, `currency` the host currency id and `name` the text shown for the expense,
 * unique per debit so that a debit whose answer was lost is found again in `expense` by it. The answer holds the
 * new expense's id in `<expense.id>`, and the core lowers the account's balance by the amount.
 */
export const EXPENSE_ADD_ANSWER_ID = 'expense.id';

/** Payment statuses as BILLmanager's API documents them (`payment` list): 1 new, 4 credited, 6 returned. */
export const HOST_PAYMENT_STATUS = { new: 1, credited: 4, returned: 6 } as const;

/**
 * [assumed] A client's own payment for services is made through a payment method (`payment.paymethod` set); a
 * credit the core or an admin adds to an account (a certificate, a manual credit, the plugin's own payouts through
 * `payment.add`) has none. Used to tell a paid invoice from a credit (src/domain/affiliate/definitions.ts).
 */
export const CLIENT_PAYMENT = { status: HOST_PAYMENT_STATUS.credited, withPaymethod: true } as const;

/**
 * [assumed] Whether a client is in arrears: its account's balance (`account.balance`, what the core suspends
 * services on) is below zero. The host keeps no balance history, so it is read when the run reads it.
 */
export const IN_ARREARS_BELOW_BALANCE = '0';

/**
 * [assumed] The largest amount one host payment holds: `payment.amount` is decimal(14,4) in the host schema the
 * plugin knows (sql/fixture/host-schema.sql), so at most 9999999999.99 in whole cents.
 */
export const MAX_PAYMENT_MINOR = 999_999_999_999n;
