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

/** Payment statuses as BILLmanager's API documents them (`payment` list): 1 new, 4 credited, 6 returned. */
export const HOST_PAYMENT_STATUS = { new: 1, credited: 4, returned: 6 } as const;
