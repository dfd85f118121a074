/**
 * `billmgr-plugin items sync|import`: the service side of pmbillmgr for every service of a module at once.
 * `sync` repairs status and expiry drift (what sync_item does for one service), with a progress bar on stderr;
 * `import` imports the selling services of a type, optionally assigning them to a client account.
 */
import type { Command } from 'commander';
import type { ServiceContext } from '../../reseller/services/context';
import { withCliRuntime } from '../database';
import { outputOf, parseWholeNumber } from '../output';

export function register(program: Command): void {
  const items = program.command('items').description('services of a pmbillmgr processing module');
  items
    .command('sync')
    .description(
      "compare every service's status and expiry date with the selling side and repair drift through the core",
    )
    .requiredOption('--module <n>', 'processing module id', parseWholeNumber)
    .action(async (options: { module: number }, command: Command) => {
      const output = outputOf(command);
      await withServiceContext('items sync', options.module, async (ctx) => {
        const { syncModule } = await import('../../reseller/services/sync');
        const bar = await progressBar(!output.json);
        try {
          const summary = await syncModule(ctx, options.module, (done, total) => bar.update(done, total));
          output.result(summary, syncLines(summary));
          if (summary.failed.length > 0) process.exitCode = 1;
        } finally {
          bar.stop();
        }
      });
    });
  items
    .command('import')
    .description('import the selling services of a type that are not here yet (processing.import.service)')
    .requiredOption('--module <n>', 'processing module id', parseWholeNumber)
    .requiredOption('--itemtype <type>', 'vds, dedic, vhost or soft')
    .option('--searchstring <mask>', 'service name mask; * stands for any text')
    .option('--account <n>', 'assign each imported service to this client account', parseWholeNumber)
    .action(
      async (
        options: { module: number; itemtype: string; searchstring?: string; account?: number },
        command: Command,
      ) => {
        const output = outputOf(command);
        await withServiceContext('items import', options.module, async (ctx) => {
          const { importServices } = await import('../../reseller/services/import-services');
          const report = await importServices(ctx, options);
          const outcomes = report.outcomes.map((o) => ({
            ...o,
            service: o.service.id,
            name: o.service.name,
          }));
          const missingTariffs = Object.fromEntries(report.missingTariffs);
          output.result({ ...report, outcomes, missingTariffs }, [
            ...report.outcomes.map(
              (o) =>
                `${o.service.id} ${o.service.name}: ${o.result}${'item' in o ? ` (service ${o.item})` : ''}`,
            ),
            ...[...report.missingTariffs].map(
              ([id]) =>
                `selling tariff ${id} is not imported: pmbillmgr --command import_pricelist --module ${options.module} --subcommand pricelist --id ${id}`,
            ),
          ]);
          if (report.outcomes.some((o) => o.result === 'failed')) process.exitCode = 1;
        });
      },
    );
}

type SyncSummary = Awaited<ReturnType<typeof import('../../reseller/services/sync').syncModule>>;

function syncLines(summary: SyncSummary): string[] {
  return [
    ...summary.repaired.flatMap((r) => [
      ...r.repaired.map(
        (c) => `service ${r.item}: ${c.field} ${String(c.from) || '(none)'} -> ${String(c.to)}`,
      ),
      ...r.unrepairable.map(
        (u) => `service ${r.item}: ${u.field} ${u.from} here, ${u.to} there: ${u.reason} (left as it is)`,
      ),
    ]),
    ...summary.missing.map((id) => `service ${id}: not on the selling side`),
    ...summary.failed.map((f) => `service ${f.item}: failed: ${f.error}`),
    `module ${summary.module}: ${summary.items} services, ${summary.repaired.length} repaired, ${summary.unchanged} unchanged, ${summary.missing.length} missing, ${summary.failed.length} failed`,
  ];
}

interface Bar {
  update(done: number, total: number): void;
  stop(): void;
}

/** cli-progress on stderr (stdout keeps the result); nothing at all with --json. */
async function progressBar(visible: boolean): Promise<Bar> {
  if (!visible) return { update: () => {}, stop: () => {} };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'services {bar} {value}/{total}',
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

/** Config, mgrctl, log and database as a handler has them; closed, the log written, when `work` ends. */
async function withServiceContext(
  command: string,
  module: number,
  work: (ctx: ServiceContext) => Promise<void>,
): Promise<void> {
  await withCliRuntime({ command, module }, work);
}
