/**
 * `billmgr-plugin affiliate ...`: the admin side of affiliate programs and referral rewards (issue 5):
 * programs, global settings, partners, overrides, group and account-type rules, manual assignment, the account
 * search, the referral log, the ledger, balances, applying credit and withdrawals. `--json` on each.
 */
import type { Command } from 'commander';
import { registerLedger } from './ledger';
import { registerPartners } from './partners';
import { registerPrograms } from './programs';
import { registerReferrals } from './referrals';
import { registerRules } from './rules';
import { registerSettings } from './settings';
import { registerWithdrawals } from './withdrawals';

export function register(program: Command): void {
  const affiliate = program.command('affiliate').description('affiliate programs and referral rewards');
  registerPrograms(affiliate);
  registerSettings(affiliate);
  registerPartners(affiliate);
  registerRules(affiliate);
  registerReferrals(affiliate);
  registerLedger(affiliate);
  registerWithdrawals(affiliate);
}
