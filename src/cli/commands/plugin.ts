/**
 * `billmgr-plugin plugin install|uninstall --mgrdir DIR [--crondir DIR]`: puts the plugin into a host tree, or
 * takes it out, then restarts the panel (through the configured mgrctl) so that it reads the XML.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { outputOf } from '../output';

interface TreeOptions {
  mgrdir: string;
  crondir?: string;
  node?: string;
  restart: boolean;
  uninstall?: boolean;
}

export function register(program: Command): void {
  const plugin = program.command('plugin').description('install the plugin into a host tree, or remove it');
  plugin
    .command('install')
    .description(
      'copy a release and install handlers, panel XML, logo and the cron file; re-running changes nothing',
    )
    .requiredOption('--mgrdir <dir>', 'host install root, e.g. /usr/local/mgr5')
    .option('--crondir <dir>', 'the system cron directory the cron file goes into (default /etc/cron.d)')
    .option('--node <path>', 'the node (20 or newer) the handlers run; default the one running this')
    .option('--no-restart', 'do not restart the panel (then it shows what to run)')
    .option('--uninstall', 'same as `plugin uninstall`')
    .action(async (options: TreeOptions, command: Command) => {
      if (options.uninstall) await uninstallCommand(options, command);
      else await installCommand(options, command);
    });
  plugin
    .command('uninstall')
    .description('remove exactly what install added; fails, naming them, when it leaves changed files behind')
    .requiredOption('--mgrdir <dir>', 'host install root')
    .option('--crondir <dir>', 'where install put the cron file (checked against what install recorded)')
    .option('--no-restart', 'do not restart the panel (then it shows what to run)')
    .action(uninstallCommand);
}

async function installCommand(options: TreeOptions, command: Command): Promise<void> {
  const { install } = await import('../../plugin/install');
  const report = install({
    mgrdir: options.mgrdir,
    ...(options.crondir !== undefined ? { crondir: options.crondir } : {}),
    ...(options.node !== undefined ? { nodePath: options.node } : {}),
  });
  const restart = await restartAfter(report.mgrdir, options.restart);
  outputOf(command).result({ ...report, restart }, [
    `installed into ${report.mgrdir} as module ${report.module}`,
    `  release ${report.release.id} (${report.release.created ? 'new' : 'unchanged'}): ${report.release.path}`,
    `  node ${report.node.version}: ${report.node.path}`,
    ...section('created', report.created),
    ...section('updated', report.updated),
    ...section('unchanged', report.unchanged),
    ...section('removed (no longer listed)', report.removed),
    restart.line,
    `database: run \`${report.migrations.apply}\` to apply the plugin's migrations, then \`billmgr-plugin doctor\``,
  ]);
  if (!restart.ok) process.exitCode = 1;
}

async function uninstallCommand(options: TreeOptions, command: Command): Promise<void> {
  const { uninstall } = await import('../../plugin/install');
  const report = uninstall({
    mgrdir: options.mgrdir,
    ...(options.crondir !== undefined ? { crondir: options.crondir } : {}),
  });
  const restart = report.wasInstalled
    ? await restartAfter(report.mgrdir, options.restart)
    : { ok: true, line: 'panel: nothing to restart' };
  outputOf(command).result(
    { ...report, restart },
    report.wasInstalled
      ? [
          `uninstalled from ${report.mgrdir}`,
          ...section('removed', report.removed),
          ...section('LEFT BEHIND, changed since install (look, then remove them by hand)', report.changed),
          ...section('directories kept (they hold other files)', report.keptDirectories),
          restart.line,
        ]
      : [`nothing to uninstall: ${report.mgrdir} has no billmgr-plugin install record`],
  );
  if (report.changed.length > 0 || !restart.ok) process.exitCode = 1;
}

/** Restarts the panel through the configured mgrctl (BMP_MGRCTL, else `<mgrdir>/sbin/mgrctl`). */
async function restartAfter(
  mgrdir: string,
  wanted: boolean,
): Promise<{ ok: boolean; command?: string; line: string; error?: string }> {
  const { restartPanel, RESTART_ARGS } = await import('../../plugin/restart');
  const config = loadConfig({ ...process.env, BMP_MGRDIR: resolve(mgrdir) });
  if (!wanted) {
    const command = [config.mgrctlPath, ...RESTART_ARGS].join(' ');
    return {
      ok: true,
      command,
      line: `panel: not restarted (--no-restart); run \`${command}\` so that it reads the XML`,
    };
  }
  const outcome = restartPanel(config.mgrctlPath, config.mgrctlTimeoutMs);
  return outcome.ok
    ? { ...outcome, line: `panel: restarted (${outcome.command})` }
    : { ...outcome, line: `panel: restart FAILED (${outcome.error ?? ''}); run \`${outcome.command}\`` };
}

function section(title: string, paths: readonly string[]): string[] {
  return paths.length > 0 ? [`  ${title}:`, ...paths.map((p) => `    ${p}`)] : [];
}
