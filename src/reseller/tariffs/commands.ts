/** The tariff commands of pmbillmgr: `import_pricelist` and `sync_pricelist` (argv in, one host document out). */
import type { ImportPricelistArgs, SyncPricelistArgs } from '../../contract/argv';
import { ArgumentError } from '../../contract/errors';
import type { HandlerContext } from '../../runtime';
import { ITEM_TYPES } from '../../contract/item-types';
import { connectModule } from '../services/selling-client';
import { reportDoc } from './changes';
import { importTariff, listSellingTariffs, type TariffDeps } from './import';
import { syncTariffs } from './sync';

async function tariffDeps(
  args: ImportPricelistArgs | SyncPricelistArgs,
  ctx: HandlerContext,
): Promise<TariffDeps> {
  const { client } = await connectModule(ctx, args.module);
  return {
    db: await ctx.db(),
    selling: client,
    module: args.module,
    warn: (message) => ctx.log.warn(message),
  };
}

/**
 * Without `--subcommand`: the selling tariffs (of `--itemtype`, or of every resold type) as `<elem>`s.
 * `--subcommand pricelist --id N`: imports selling tariff N and prints what was created.
 */
export async function importPricelistCommand(
  args: ImportPricelistArgs,
  ctx: HandlerContext,
): Promise<string> {
  if (args.itemtype !== undefined && !(ITEM_TYPES as readonly string[]).includes(args.itemtype)) {
    throw new ArgumentError(
      'itemtype',
      `--itemtype must be one of ${ITEM_TYPES.join(', ')}, got '${args.itemtype}'`,
    );
  }
  if (args.subcommand === undefined && args.id !== undefined) {
    throw new ArgumentError('subcommand', '--id needs --subcommand pricelist');
  }
  const deps = await tariffDeps(args, ctx);
  if (args.subcommand === undefined)
    return listSellingTariffs(deps, args.itemtype ? [args.itemtype] : ITEM_TYPES);
  const report = await importTariff(deps, String(args.id), args.itemtype);
  ctx.log.info(
    `tariff ${report.remoteid} ${report.status === 'created' ? 'imported as' : 'already imported as'} ${report.pricelist}`,
  );
  return reportDoc([report]);
}

/** `--id N`: syncs local tariff N (what `pricelist.sync elid=N` does); without it, every tariff of the module. */
export async function syncPricelistCommand(args: SyncPricelistArgs, ctx: HandlerContext): Promise<string> {
  const deps = await tariffDeps(args, ctx);
  const reports = await syncTariffs(deps, args.id);
  const changed = reports.reduce((n, r) => n + r.changes.length, 0);
  ctx.log.info(`synced ${reports.length} tariff(s), ${changed} change(s)`);
  return reportDoc(reports);
}
