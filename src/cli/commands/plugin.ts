/** `billmgr-plugin plugin install|uninstall --mgrdir DIR`: puts the plugin into a host tree, or takes it out. */
import type { Command } from 'commander';
import { outputOf } from '../output';

interface TreeOptions {
  mgrdir: string;
  force?: boolean;
  uninstall?: boolean;
}

export function register(program: Command): void {
  const plugin = program.command('plugin').description('install the plugin into a host tree, or remove it');
  plugin
    .command('install')
    .description(
      'install handlers, panel XML and cron lines as plugin.json lists them; re-running changes nothing',
    )
    .requiredOption('--mgrdir <dir>', 'host install root, e.g. /usr/local/mgr5')
    .option('--force', 'keep files that are in the way aside (restored by uninstall) instead of refusing')
    .option('--uninstall', 'same as `plugin uninstall`')
    .action(async (options: TreeOptions, command: Command) => {
      if (options.uninstall) await uninstallCommand(options, command);
      else await installCommand(options, command);
    });
  plugin
    .command('uninstall')
    .description('remove exactly what install added; files changed since are kept unless --force')
    .requiredOption('--mgrdir <dir>', 'host install root')
    .option('--force', 'also remove installed files that were changed since install')
    .action(uninstallCommand);
}

async function installCommand(options: TreeOptions, command: Command): Promise<void> {
  const { install } = await import('../../plugin/install');
  const report = install({ mgrdir: options.mgrdir, force: options.force === true });
  outputOf(command).result(report, [
    `installed into ${report.mgrdir}`,
    ...section('created', report.created),
    ...section('updated', report.updated),
    ...section('unchanged', report.unchanged),
    ...section('removed (no longer listed)', report.removed),
    ...section('kept aside (restored by uninstall)', report.keptAside),
    `database: run \`${report.migrations.apply}\` to apply the plugin's migrations`,
  ]);
}

async function uninstallCommand(options: TreeOptions, command: Command): Promise<void> {
  const { uninstall } = await import('../../plugin/install');
  const report = uninstall({ mgrdir: options.mgrdir, force: options.force === true });
  outputOf(command).result(
    report,
    report.wasInstalled
      ? [
          `uninstalled from ${report.mgrdir}`,
          ...section('removed', report.removed),
          ...section('restored', report.restored),
          ...section('kept (changed since install; --force removes them)', report.kept),
        ]
      : [`nothing to uninstall: ${report.mgrdir} has no billmgr-plugin install record`],
  );
}

function section(title: string, paths: readonly string[]): string[] {
  return paths.length > 0 ? [`  ${title}:`, ...paths.map((p) => `    ${p}`)] : [];
}
