/**
 * `billmgr-plugin promotion certificate generate|list|export|revoke`: certificates of top-up promotions (seed
 * 002): digits only, a fixed amount or a percentage of the client's last credited payment, the validity term of
 * the credited funds.
 */
import type { Command } from 'commander';
import type { Period } from '../../../domain/promotion/codes/batch';
import { outputOf, parseWholeNumber } from '../../output';
import { generateAndReport, registerListing } from './codes';
import { parsePeriod } from './shared';

interface GenerateOptions {
  promotion: number;
  template: string;
  count: number;
  amount?: string;
  currency?: string;
  percent?: string;
  usesLimit?: number;
  validFor?: Period;
}

export function register(promotion: Command): void {
  const certificate = promotion
    .command('certificate')
    .description('certificates that top up the balance: generate, list, export, revoke');
  certificate
    .command('generate')
    .description("generate certificates from a template: each '?' becomes a random digit")
    .requiredOption('--promotion <id>', 'the certificate promotion', parseWholeNumber)
    .requiredOption('--template <template>', 'e.g. GIFT-??????????')
    .requiredOption('--count <n>', 'how many certificates', parseWholeNumber)
    .option('--amount <amount>', 'a fixed amount credited, in major units (with --currency)')
    .option('--currency <iso>', 'the currency of --amount')
    .option(
      '--percent <percent>',
      "instead of --amount: this percentage of the client's last credited payment",
    )
    .option('--uses-limit <n>', 'uses of each certificate (default: no limit)', parseWholeNumber)
    .option(
      '--valid-for <type:length>',
      'how long the credited funds may be spent, e.g. month:6 (default: no end)',
      parsePeriod,
    )
    .action(async (options: GenerateOptions, command: Command) => {
      const [{ validateCertificateBatch, fixedAmount }, { ValidationError }] = await Promise.all([
        import('../../../domain/promotion/codes/batch'),
        import('../../../domain/errors'),
      ]);
      const out = outputOf(command);
      const fixed = options.amount !== undefined;
      if (fixed === (options.percent !== undefined) || (fixed && options.currency === undefined))
        throw new ValidationError('certificate batch', [
          'give either --amount with --currency, or --percent of the last payment',
        ]);
      let amount;
      try {
        amount = fixed
          ? fixedAmount(options.amount ?? '', options.currency ?? '')
          : { kind: 'last_payment' as const, percent: options.percent ?? '' };
      } catch (err) {
        throw new ValidationError('certificate batch', [(err as Error).message]);
      }
      const batch = validateCertificateBatch({
        promotion: options.promotion,
        template: options.template,
        count: options.count,
        amount,
        ...(options.usesLimit !== undefined ? { usesLimit: options.usesLimit } : {}),
        ...(options.validFor !== undefined ? { fundsPeriod: options.validFor } : {}),
      });
      await generateAndReport(out, batch, 'certificate');
    });
  registerListing(certificate, 'certificate');
}
