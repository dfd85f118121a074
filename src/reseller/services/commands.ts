/** The pmbillmgr commands of the service side: argv in, one host document out. */
import type { ArgsOf, ItemArgs, ModuleCommand } from '../../contract/argv';
import type { HandlerContext } from '../../runtime';
import { buildDoc } from '../../contract/xml';
import { checkConnection } from './check-connection';
import { importServices, type ImportOutcome, type ImportReport } from './import-services';
import { runLifecycle, type LifecycleCommand } from './lifecycle';
import { openService } from './open';
import { syncItem, type ItemSyncResult } from './sync';

export type CommandImpl<C extends ModuleCommand = ModuleCommand> = (
  args: ArgsOf<C>,
  ctx: HandlerContext,
) => Promise<string>;

const EMPTY_DOC = buildDoc({});

export const checkConnectionCommand: CommandImpl<'check_connection'> = async (_args, ctx) => {
  await checkConnection(await ctx.readStdin(), ctx.config, ctx.log);
  return EMPTY_DOC;
};

export const openCommand: CommandImpl<'open'> = async (args, ctx) => {
  await openService(ctx, args.item, args.runningoperation);
  return EMPTY_DOC;
};

export function lifecycleCommand(
  command: LifecycleCommand,
): (args: ItemArgs, ctx: HandlerContext) => Promise<string> {
  return async (args, ctx) => {
    await runLifecycle(ctx, command, args.item, args.runningoperation);
    return EMPTY_DOC;
  };
}

export const syncItemCommand: CommandImpl<'sync_item'> = async (args, ctx) =>
  syncItemDoc(await syncItem(ctx, args.item));

export const importCommand: CommandImpl<'import'> = async (args, ctx) => {
  const report = await importServices(ctx, {
    module: args.module,
    itemtype: args.itemtype,
    ...(args.searchstring !== undefined ? { searchstring: args.searchstring } : {}),
  });
  return importDoc(report);
};

/** `<change name= old= new= via=/>` per repair, `<unrepaired name= here= selling=>why</unrepaired>` per leftover. */
export function syncItemDoc(result: ItemSyncResult): string {
  return buildDoc({
    ...(result.repaired.length
      ? {
          change: result.repaired.map((r) => ({
            $: { name: r.field, old: String(r.from), new: String(r.to), via: r.callback },
          })),
        }
      : {}),
    ...(result.unrepairable.length
      ? {
          unrepaired: result.unrepairable.map((u) => ({
            $: { name: u.field, here: String(u.from), selling: String(u.to) },
            _: u.reason,
          })),
        }
      : {}),
  });
}

/**
 * One `<service>` per selling service with its result, then one `<notice type="import_pricelist">` per missing
 * tariff: the selling tariff id to import with `import_pricelist --subcommand pricelist --id <id>` first.
 */
export function importDoc(report: ImportReport): string {
  const count = (result: ImportOutcome['result']) =>
    String(report.outcomes.filter((o) => o.result === result).length);
  return buildDoc({
    summary: {
      $: {
        itemtype: report.itemtype,
        listed: String(report.listed),
        imported: count('imported'),
        exists: count('exists'),
        no_tariff: count('no_tariff'),
        failed: count('failed'),
      },
    },
    ...(report.outcomes.length ? { service: report.outcomes.map(serviceElement) } : {}),
    ...(report.missingTariffs.size
      ? {
          notice: [...report.missingTariffs].map(([pricelist, names]) => ({
            $: {
              type: 'import_pricelist',
              pricelist,
              itemtype: report.itemtype,
              module: String(report.module),
            },
            _: `selling tariff ${pricelist} is not imported (needed by ${names.join(', ')}): import it with import_pricelist --module ${report.module} --subcommand pricelist --id ${pricelist}, then import the services again`,
          })),
        }
      : {}),
  });
}

function serviceElement(outcome: ImportOutcome): Record<string, unknown> {
  const base = { id: outcome.service.id, name: outcome.service.name, result: outcome.result };
  switch (outcome.result) {
    case 'imported':
      return { $: { ...base, item: String(outcome.item), assigned: outcome.assigned ? 'on' : 'off' } };
    case 'exists':
      return { $: { ...base, item: String(outcome.item), match: outcome.match, value: outcome.value } };
    case 'no_tariff':
      return { $: { ...base, pricelist: outcome.service.pricelist } };
    case 'failed':
      return { $: base, _: outcome.error };
  }
}
