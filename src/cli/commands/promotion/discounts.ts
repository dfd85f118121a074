/**
 * `billmgr-plugin promotion discount set|show|run`: a discount promotion's offer (percentage or fixed amount, its
 * targets, exclusive or stackable, priority, budget) and the run that credits the discounted share of expenses.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';

interface SetOptions {
  promotion: number;
  percent?: string;
  amount?: string;
  currency?: string;
  itemType: string[];
  tariff: number[];
  stackable?: boolean;
  priority?: number;
  budget?: string;
  budgetCurrency?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const collectIds = (value: string, previous: number[]): number[] => [...previous, parseWholeNumber(value)];

function parseInteger(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new InvalidArgumentError(`'${text}' is not a whole number.`);
  return Number.parseInt(text, 10);
}

function parseDay(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
    throw new InvalidArgumentError(`'${text}' is not a date YYYY-MM-DD.`);
  return text;
}

export function registerDiscounts(promotion: Command): void {
  const discount = promotion.command('discount').description("a discount promotion's offer and its run");
  discount
    .command('set')
    .description('set the offer of a discount promotion (replaces the one before; what it spent stays)')
    .requiredOption('--promotion <id>', 'the discount promotion', parseWholeNumber)
    .option('--percent <p>', 'a percentage off, e.g. 12.5')
    .option('--amount <a>', 'a fixed amount off, in major units, e.g. 5.00')
    .option('--currency <iso>', "the fixed amount's currency")
    .option('--item-type <intname>', 'off services of this product type (repeat)', collect, [])
    .option('--tariff <id>', 'off services of this tariff, a pricelist id (repeat)', collectIds, [])
    .option('--stackable', 'adds on top of other offers (default: exclusive)')
    .option('--priority <n>', 'higher wins among exclusive offers (default 0)', parseInteger)
    .option('--budget <a>', 'the most the offer ever gives, in major units')
    .option('--budget-currency <iso>', "the budget's currency (default: the fixed amount's)")
    .action(async (options: SetOptions, command: Command) => {
      const { setOffer, showOffer } = await import('../../../promotions/discounts/offers');
      const view = await withDatabase(async (db, cli) => {
        await setOffer(
          db,
          {
            promotion: options.promotion,
            exclusive: options.stackable !== true,
            itemTypes: options.itemType,
            tariffs: options.tariff,
            ...(options.percent !== undefined ? { percent: options.percent } : {}),
            ...(options.amount !== undefined ? { amount: options.amount } : {}),
            ...(options.currency !== undefined ? { currency: options.currency } : {}),
            ...(options.priority !== undefined ? { priority: options.priority } : {}),
            ...(options.budget !== undefined ? { budget: options.budget } : {}),
            ...(options.budgetCurrency !== undefined ? { budgetCurrency: options.budgetCurrency } : {}),
          },
          cli.clock.now(),
        );
        return showOffer(db, options.promotion);
      });
      outputOf(command).result(view, [describe(view)]);
    });
  discount
    .command('show')
    .description("show a discount promotion's offer and what its budget has spent")
    .requiredOption('--promotion <id>', 'the discount promotion', parseWholeNumber)
    .action(async (options: { promotion: number }, command: Command) => {
      const { showOffer } = await import('../../../promotions/discounts/offers');
      const view = await withDatabase((db) => showOffer(db, options.promotion));
      outputOf(command).result(view, [describe(view)]);
    });
  discount
    .command('run')
    .description('credit the discounted share of the expenses of clients holding a valid discount')
    .option('--date <YYYY-MM-DD>', 'expenses dated up to the end of this day (default: now)', parseDay)
    .action(async (options: { date?: string }, command: Command) => {
      const [{ runDiscounts }, { productionCreditPorts }, { addDays }] = await Promise.all([
        import('../../../promotions/discounts/run'),
        import('../../../promotions/discounts/wiring'),
        import('../../../domain/dates'),
      ]);
      const report = await withDatabase((db, cli) => {
        const now = cli.clock.now();
        return runDiscounts(
          db,
          productionCreditPorts(cli, () => now),
          {
            now,
            ...(options.date !== undefined ? { before: `${addDays(options.date, 1)} 00:00:00` } : {}),
          },
        );
      });
      outputOf(command).result(report, [
        `${report.expenses} expenses read, ${report.discounted} discounted, ${report.entries} credits`,
        ...Object.entries(report.credited).map(
          ([currency, minor]) => `credited ${minor} minor units of ${currency}`,
        ),
      ]);
    });
}

function describe(view: {
  promotion: number;
  percent: string | null;
  amount: string | null;
  currency: string | null;
  target: string;
  targets: string[];
  exclusive: boolean;
  priority: number;
  budget: string | null;
  spent: string | null;
  budgetCurrency: string | null;
}): string {
  const value = view.percent !== null ? `${view.percent} %` : `${view.amount} ${view.currency}`;
  const target = view.target === 'all' ? 'all services' : `${view.target} ${view.targets.join(', ')}`;
  const budget =
    view.budget === null ? 'no budget' : `budget ${view.budget} ${view.budgetCurrency}, spent ${view.spent}`;
  return `promotion ${view.promotion}: ${value} off ${target}, ${view.exclusive ? 'exclusive' : 'stackable'}, priority ${view.priority}, ${budget}`;
}
