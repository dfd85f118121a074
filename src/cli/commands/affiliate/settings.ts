/** `affiliate settings show|set`: the global affiliate settings (seed 001). */
import type { Command } from 'commander';
import type { AffiliateSettings, SettingsInput } from '../../../domain/affiliate/program';
import { formatMoney } from '../../../domain/money';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { amountOf, idOrNone, onOff, plain } from './options';

export function registerSettings(affiliate: Command): void {
  const settings = affiliate.command('settings').description('global affiliate settings (seed 001)');
  settings
    .command('show')
    .description('show the settings')
    .action(async (_options: unknown, command: Command) => {
      const { loadSettings } = await import('../../../affiliate/settings');
      const current = await withDatabase((db) => loadSettings(db));
      outputOf(command).result(plain(current), settingsLines(current));
    });
  settings
    .command('set')
    .description('change settings; the result is validated as a whole')
    .option('--enabled <on|off>', 'the whole affiliate system', onOff)
    .option('--default-percent <percent>', "default earning percentage, or 'none'")
    .option('--currency <code>', 'currency of the signup bonus and the minimum withdrawal')
    .option('--signup-bonus <amount>', 'credited once to a new partner')
    .option('--min-withdrawal <amount>', 'smallest withdrawal a partner may ask for')
    .option(
      '--delay-days <n>',
      'days a reward stays pending after the referred invoice is paid',
      parseWholeNumber,
    )
    .option('--department <id>', "support department for payout requests, or 'none'", idOrNone)
    .option('--link-template <url>', "affiliate link with [AffiliateLinkCode], or 'none'")
    .option('--auto-apply <on|off>', 'the monthly run pays available credit onto the balance', onOff)
    .action(async (options: SettingsOptions, command: Command) => {
      const { saveSettings, loadSettings } = await import('../../../affiliate/settings');
      const saved = await withDatabase(async (db, cli) => {
        const currency = (options.currency ?? (await loadSettings(db)).currency).toUpperCase();
        return saveSettings(db, settingsInput(options, currency), cli.clock.now());
      });
      outputOf(command).result(plain(saved), settingsLines(saved));
    });
}

interface SettingsOptions {
  enabled?: boolean;
  defaultPercent?: string;
  currency?: string;
  signupBonus?: string;
  minWithdrawal?: string;
  delayDays?: number;
  department?: number | null;
  linkTemplate?: string;
  autoApply?: boolean;
}

function settingsInput(options: SettingsOptions, currency: string): SettingsInput {
  const minor = (amount: string): bigint => amountOf(amount, currency).minor;
  return {
    ...(options.enabled !== undefined ? { enabled: options.enabled } : {}),
    ...(options.defaultPercent !== undefined
      ? { defaultPercent: options.defaultPercent === 'none' ? null : options.defaultPercent }
      : {}),
    ...(options.currency !== undefined ? { currency } : {}),
    ...(options.signupBonus !== undefined ? { signupBonusMinor: minor(options.signupBonus) } : {}),
    ...(options.minWithdrawal !== undefined ? { minWithdrawalMinor: minor(options.minWithdrawal) } : {}),
    ...(options.delayDays !== undefined ? { commissionDelayDays: options.delayDays } : {}),
    ...(options.department !== undefined ? { supportDepartment: options.department } : {}),
    ...(options.linkTemplate !== undefined
      ? { linkTemplate: options.linkTemplate === 'none' ? null : options.linkTemplate }
      : {}),
    ...(options.autoApply !== undefined ? { autoApply: options.autoApply } : {}),
  };
}

function settingsLines(s: AffiliateSettings): string[] {
  const amount = (minor: bigint): string => formatMoney({ minor, currency: s.currency });
  return [
    `enabled: ${s.enabled ? 'on' : 'off'}`,
    `default percentage: ${s.defaultPercent === undefined ? 'none' : `${s.defaultPercent}%`}`,
    `signup bonus: ${amount(s.signupBonusMinor)}`,
    `minimum withdrawal: ${amount(s.minWithdrawalMinor)}`,
    `commission delay: ${s.commissionDelayDays} days`,
    `support department: ${s.supportDepartment ?? 'none'}`,
    `affiliate link template: ${s.linkTemplate ?? 'none'}`,
    `apply available credit monthly: ${s.autoApply ? 'on' : 'off'}`,
  ];
}
