/** `billmgr-plugin promotion check <id> --account N`: whether one client may take part, and why (or why not). */
import { InvalidArgumentError, type Command } from 'commander';
import { parseDayTime } from '../../../domain/promotion/calendar';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';

export function registerCheck(promotion: Command): void {
  promotion
    .command('check')
    .description("one client's eligibility: every condition with the client's value, every group's outcome")
    .argument('<promotion>', 'promotion id', parseWholeNumber)
    .requiredOption('--account <id>', 'the client account', parseWholeNumber)
    .option('--code <code>', 'the promo code the client gives (normalised)')
    .option('--at <datetime>', 'evaluate as at this server-local time instead of now', parseMoment)
    .action(async (id: number, options: { account: number; code?: string; at?: Date }, command: Command) => {
      const [{ checkAccount }, { explanationLines }] = await Promise.all([
        import('../../../promotions/eligibility'),
        import('../../../domain/promotion/eligibility'),
      ]);
      const result = await withDatabase((db, cli) =>
        checkAccount(db, id, options.account, {
          now: options.at ?? cli.clock.now(),
          ...(options.code !== undefined ? { code: options.code } : {}),
        }),
      );
      const [verdict = '', ...rest] = explanationLines(result);
      outputOf(command).result(result, [`account ${options.account}, promotion ${id}: ${verdict}`, ...rest]);
    });
}

/** `YYYY-MM-DD [HH:MM[:SS]]`, server-local, as the moment it names. */
export function parseMoment(text: string): Date {
  const parsed = parseDayTime(text);
  if (parsed === undefined)
    throw new InvalidArgumentError(`'${text}' is not a date-time YYYY-MM-DD [HH:MM[:SS]].`);
  const [y, mo, d, h, mi, s] = parsed.split(/[- :]/).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(y, mo - 1, d, h, mi, s);
}
