/**
 * `billmgr-plugin promotion ...`: promotions (issue 14) and their codes, certificates and redemptions (issue 15).
 * Each area registers its subcommands on the one `promotion` command.
 */
import type { Command } from 'commander';
import * as certificates from './certificates';
import * as codes from './codes';
import { registerDiscounts } from './discounts';
import * as redeem from './redeem';

export function register(program: Command): void {
  const promotion = program
    .command('promotion')
    .description('promotions, promo codes, certificates, redemptions');
  codes.register(promotion);
  certificates.register(promotion);
  redeem.register(promotion);
  registerDiscounts(promotion);
}
