/**
 * `billmgr-plugin tariff list|edit|enable|disable` (seed 003: edit name and cost, enable or disable reselling) and
 * `billmgr-plugin period-map add|list|remove` (seed 004: period comparison of a pmbillmgr module).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { parsePeriod, periodLabel, PeriodError } from '../../domain/periods';
import type { PeriodMappingView, TariffSummary } from '../../reseller/tariffs/admin';
import { withDatabase } from '../database';
import { outputOf, parseWholeNumber } from '../output';

export function register(program: Command): void {
  registerTariff(program);
  registerPeriodMap(program);
}

function registerTariff(program: Command): void {
  const tariff = program
    .command('tariff')
    .description('imported tariffs: list, edit name and cost, enable or disable reselling');

  tariff
    .command('list')
    .description('list the tariffs imported from the selling BILLmanager')
    .option('--module <id>', 'only tariffs of this processing module', parseWholeNumber)
    .action(async (options: { module?: number }, command: Command) => {
      const { listImportedTariffs } = await admin();
      const tariffs = await withDatabase((db) => listImportedTariffs(db, options.module));
      outputOf(command).result(tariffs, tariffs.length ? tariffs.map(tariffLine) : ['no imported tariffs']);
    });

  tariff
    .command('edit <id>')
    .description("change a tariff's name and its cost per period (main currency)")
    .option('--name <name>', 'new name')
    .option(
      '--cost <period=amount>',
      'new cost, e.g. monthly=12.50 or 12=120 (repeatable)',
      collectCost,
      new Map<number, string>(),
    )
    .action(async (id: string, options: { name?: string; cost: Map<number, string> }, command: Command) => {
      if (options.name === undefined && options.cost.size === 0) {
        throw new Error('nothing to change: give --name and/or --cost');
      }
      const { editTariff } = await admin();
      const edited = await withDatabase((db) =>
        editTariff(db, wholeNumber(id), {
          ...(options.name !== undefined ? { name: options.name } : {}),
          costs: options.cost,
        }),
      );
      outputOf(command).result(edited, [`edited: ${tariffLine(edited)}`]);
    });

  for (const [name, active] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    tariff
      .command(`${name} <ids...>`)
      .description(`${name} reselling of one or several tariffs`)
      .action(async (ids: string[], _options: unknown, command: Command) => {
        const { setReselling } = await admin();
        const results = await withDatabase((db) => setReselling(db, ids.map(wholeNumber), active));
        outputOf(command).result(
          results.map((r) => ({ ...r, active })),
          results.map((r) => `${r.id} ${r.name}: ${r.changed ? `${name}d` : `already ${name}d`}`),
        );
      });
  }
}

function registerPeriodMap(program: Command): void {
  const periodMap = program
    .command('period-map')
    .description(
      'period comparison of a pmbillmgr module: order a local period as another period on the selling side',
    );

  periodMap
    .command('add')
    .description(
      'map a source period to a target period; the most specific mapping (tariff > product type > module) wins',
    )
    .requiredOption('--module <id>', 'pmbillmgr processing module', parseWholeNumber)
    .requiredOption(
      '--from <period>',
      'source period: monthly, annually, trial, day, lifetime, ... or months (12)',
      periodOption,
    )
    .requiredOption('--to <period>', 'period ordered instead', periodOption)
    .option('--itemtype <type>', 'only for this product type (vds, dedic, vhost, soft, certificate)')
    .option('--tariff <id>', 'only for this tariff', parseWholeNumber)
    .action(
      async (
        options: { module: number; from: number; to: number; itemtype?: string; tariff?: number },
        command: Command,
      ) => {
        const { addPeriodMapping } = await admin();
        const saved = await withDatabase((db) =>
          addPeriodMapping(db, {
            module: options.module,
            source: options.from,
            target: options.to,
            ...(options.itemtype !== undefined ? { itemtype: options.itemtype } : {}),
            ...(options.tariff !== undefined ? { pricelist: options.tariff } : {}),
          }),
        );
        outputOf(command).result(saved, [`saved: ${mappingLine(saved)}`]);
      },
    );

  periodMap
    .command('list')
    .description('list period mappings')
    .option('--module <id>', 'only this processing module', parseWholeNumber)
    .action(async (options: { module?: number }, command: Command) => {
      const { listPeriodMappingsOf } = await admin();
      const mappings = await withDatabase((db) => listPeriodMappingsOf(db, options.module));
      outputOf(command).result(
        mappings,
        mappings.length ? mappings.map(mappingLine) : ['no period mappings'],
      );
    });

  periodMap
    .command('remove <ids...>')
    .description('remove period mappings by id')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const { removePeriodMappings } = await admin();
      const result = await withDatabase((db) => removePeriodMappings(db, ids.map(wholeNumber)));
      outputOf(command).result(result, [
        `removed: ${result.removed.join(', ') || 'none'}`,
        ...(result.missing.length ? [`not found: ${result.missing.join(', ')}`] : []),
      ]);
      if (result.missing.length > 0) process.exitCode = 1;
    });
}

function admin() {
  return import('../../reseller/tariffs/admin');
}

/** For positional ids, checked inside the action: the error must be printed by the CLI's runner. */
function wholeNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`'${text}' is not a tariff or mapping id (a whole number)`);
  return Number(text);
}

function periodOption(text: string): number {
  try {
    return parsePeriod(text);
  } catch (err) {
    if (err instanceof PeriodError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function collectCost(text: string, costs: Map<number, string>): Map<number, string> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`'${text}' is not <period>=<amount>, e.g. monthly=12.50`);
  costs.set(periodOption(text.slice(0, eq)), text.slice(eq + 1));
  return costs;
}

function tariffLine(t: TariffSummary): string {
  const costs = Object.entries(t.costs)
    .map(([period, cost]) => `${period} ${cost}`)
    .join(', ');
  return (
    `${t.id} ${t.name} [${t.intname}] ${t.itemtype} module ${t.module} ${t.active ? 'enabled' : 'disabled'}` +
    ` add-ons ${t.addons}; ${costs ? `${costs} ${t.currency}` : 'no price'}`
  );
}

function mappingLine(m: PeriodMappingView): string {
  return (
    `${m.id}: module ${m.module} ${periodLabel(m.from)} -> ${periodLabel(m.to)}` +
    ` (product type ${m.itemtype ?? 'any'}, tariff ${m.tariff ?? 'any'})`
  );
}
