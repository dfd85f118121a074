/**
 * The admin CLI, `billmgr-plugin`: one program, a subcommand per module in ./commands.
 * A feature adds its command by writing `commands/<name>.ts` (exporting `register(program)`) and one line below.
 */
import { Command, CommanderError } from 'commander';
import { BusyError } from '../domain/errors';
import * as affiliateCommand from './commands/affiliate/index';
import * as creditsCommand from './commands/credits';
import * as doctorCommand from './commands/doctor';
import * as eventsCommand from './commands/events';
import * as itemsCommand from './commands/items';
import * as migrateCommand from './commands/migrate';
import * as pluginCommand from './commands/plugin';
import * as promotionCommand from './commands/promotion';
import * as sandboxCommand from './commands/sandbox';
import * as tariffCommand from './commands/tariff';

interface CommandModule {
  register(program: Command): void;
}

const COMMAND_MODULES: readonly CommandModule[] = [
  migrateCommand,
  sandboxCommand,
  pluginCommand,
  tariffCommand,
  itemsCommand,
  affiliateCommand,
  creditsCommand,
  doctorCommand,
  eventsCommand,
  promotionCommand,
];

export function buildProgram(): Command {
  const program = new Command('billmgr-plugin')
    .description('Admin commands of the BILLmanager reseller plugin.')
    .option('--json', 'print results as one JSON document')
    .showHelpAfterError('(add --help for usage)')
    // commander must not end the process itself: its error becomes process.exitCode in run().
    .exitOverride();
  for (const module of COMMAND_MODULES) module.register(program);
  return program;
}

/** The one mapping of the plugin's errors to exit codes: 75 (EX_TEMPFAIL) says "busy, run it again later". */
function exitCodeOf(err: unknown): number {
  return err instanceof BusyError ? 75 : 1;
}

/** Runs the CLI on `argv` (node, script, args...); sets process.exitCode on failure. */
export async function run(argv: readonly string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed the usage error or the help.
      process.exitCode = err.exitCode;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (program.opts<{ json?: boolean }>().json) console.log(JSON.stringify({ error: message }));
    else console.error(`billmgr-plugin: ${message}`);
    process.exitCode = exitCodeOf(err);
  }
}
