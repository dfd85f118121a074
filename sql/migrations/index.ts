/** Every migration of the plugin's own tables, in the order they apply (names sort by date). */
import type { Knex } from 'knex';
import * as m20261123_0001_reseller from './20261123_0001_reseller';
import * as m20261123_0002_events from './20261123_0002_events';
import * as m20261123_0003_affiliate from './20261123_0003_affiliate';
import * as m20261201_0004_receipt_applied from './20261201_0004_receipt_applied';
import * as m20261201_0005_enumeration_link from './20261201_0005_enumeration_link';
import * as m20261201_0005_referral_sweep from './20261201_0005_referral_sweep';
import * as m20261202_0001_promotion from './20261202_0001_promotion';
import * as m20261202_0002_promotion_condition from './20261202_0002_promotion_condition';
import * as m20261202_0003_promotion_codes from './20261202_0003_promotion_codes';
import * as m20261202_0005_counter_daily_visit from './20261202_0005_counter_daily_visit';
import * as m20261202_0006_host_credit from './20261202_0006_host_credit';
import * as m20261202_0007_affiliate_definitions from './20261202_0007_affiliate_definitions';
import * as m20261202_0008_affiliate_clawback from './20261202_0008_affiliate_clawback';
import * as m20261202_0009_affiliate_admin from './20261202_0009_affiliate_admin';
import * as m20261202_0010_ip_uncommitted from './20261202_0010_ip_uncommitted';
import * as m20261202_0011_promotion_discount from './20261202_0011_promotion_discount';
import * as m20261202_0012_host_debit from './20261202_0012_host_debit';

export const migrations: Record<string, Knex.Migration> = {
  '20261123_0001_reseller': m20261123_0001_reseller,
  '20261123_0002_events': m20261123_0002_events,
  '20261123_0003_affiliate': m20261123_0003_affiliate,
  '20261201_0004_receipt_applied': m20261201_0004_receipt_applied,
  '20261201_0005_enumeration_link': m20261201_0005_enumeration_link,
  '20261201_0005_referral_sweep': m20261201_0005_referral_sweep,
  '20261202_0001_promotion': m20261202_0001_promotion,
  '20261202_0002_promotion_condition': m20261202_0002_promotion_condition,
  '20261202_0003_promotion_codes': m20261202_0003_promotion_codes,
  '20261202_0005_counter_daily_visit': m20261202_0005_counter_daily_visit,
  '20261202_0006_host_credit': m20261202_0006_host_credit,
  '20261202_0007_affiliate_definitions': m20261202_0007_affiliate_definitions,
  '20261202_0008_affiliate_clawback': m20261202_0008_affiliate_clawback,
  '20261202_0009_affiliate_admin': m20261202_0009_affiliate_admin,
  '20261202_0010_ip_uncommitted': m20261202_0010_ip_uncommitted,
  '20261202_0011_promotion_discount': m20261202_0011_promotion_discount,
  '20261202_0012_host_debit': m20261202_0012_host_debit,
};
