/**
 * What the promotion conditions read from host tables, named once. The item status codes are the contract's
 * (section 5); the rest no public source gives, so each is [assumed] here and nowhere else.
 */
import type { ServiceStatus } from '../../domain/promotion/condition';

/** Item status codes (host contract): 1 ordered, 2 active, 3 suspended ("Stopped"), 4 deleted, 5 processing. */
export const ITEM_STATUS_CODE: Readonly<Record<ServiceStatus, number>> = {
  ordered: 1,
  active: 2,
  stopped: 3,
  deleted: 4,
  processing: 5,
};

/** [assumed] payment.status 4: the payment was credited (as the affiliate code reads it). */
export const PAYMENT_CREDITED = 4;

/**
 * [assumed] A client has set up a recurring payment when `account.recurring_payment` is 'on'
 * (the fixture's column, sql/fixture/host-schema.sql).
 */
export const RECURRING_PAYMENT = { table: 'account', column: 'recurring_payment', on: 'on' } as const;

/** [assumed] A service renews itself when `item.autoprolong` holds a period (not NULL, not 0). */
export const AUTO_RENEWAL = { table: 'item', column: 'autoprolong' } as const;

/**
 * Where certificate uses are recorded: the redemptions (issue 15), one row per use, naming the account and the code
 * (`bmp_promotion_code.id`, kind `certificate`); a released use is no use. While the table does not exist, no
 * certificate has been used.
 */
export const CERTIFICATE_USE = {
  table: 'bmp_promotion_redemption',
  account: 'account',
  code: 'code',
  status: 'status',
  released: 'released',
} as const;
