/** The processing-module command line of host contract section 2, and a small parser for the other handlers. */
import { parseArgs } from 'node:util';
import { isCalendarDate } from '../domain/dates';
import { ArgumentError } from './errors';

export const ITEM_COMMANDS = [
  'open',
  'suspend',
  'resume',
  'close',
  'setparam',
  'prolong',
  'sync_item',
] as const;
export const MODULE_COMMANDS = ['import', 'import_pricelist', 'sync_pricelist'] as const;
export const OTHER_COMMANDS = ['features', 'check_connection', 'stat'] as const;
export const MODULE_HANDLER_COMMANDS = [...OTHER_COMMANDS, ...ITEM_COMMANDS, ...MODULE_COMMANDS] as const;
export type ModuleCommand = (typeof MODULE_HANDLER_COMMANDS)[number];

/** What every command line may carry besides its command's own options. */
interface CommonArgs {
  runningoperation?: number;
  lang?: string;
  level?: number;
  /** Options a command does not use are kept as given (the core may pass them). */
  item?: number;
  module?: number;
  itemtype?: string;
  subcommand?: string;
  id?: number;
  searchstring?: string;
}

export type ItemCommand = (typeof ITEM_COMMANDS)[number];

/** A service command: `--item` is there (the parser refuses the command line without it). */
export interface ItemArgs extends CommonArgs {
  command: ItemCommand;
  item: number;
}

export interface ImportArgs extends CommonArgs {
  command: 'import';
  module: number;
  itemtype: string;
}

/** Without `--subcommand`: the selling tariffs; `--subcommand pricelist --id N`: import tariff N. */
export type ImportPricelistArgs = CommonArgs & {
  command: 'import_pricelist';
  module: number;
} & ({ subcommand?: undefined; id?: number } | { subcommand: 'pricelist'; id: number });

export interface SyncPricelistArgs extends CommonArgs {
  command: 'sync_pricelist';
  module: number;
}

export interface OtherArgs extends CommonArgs {
  command: (typeof OTHER_COMMANDS)[number];
}

/** A processing-module command line, one member per command: what the parser guarantees is in the types. */
export type ModuleArgs = ItemArgs | ImportArgs | ImportPricelistArgs | SyncPricelistArgs | OtherArgs;

/** The arguments of one command. */
export type ArgsOf<C extends ModuleCommand> = C extends ItemArgs['command']
  ? ItemArgs & { command: C }
  : C extends OtherArgs['command']
    ? OtherArgs & { command: C }
    : Extract<ModuleArgs, { command: C }>;

/** Option spec for `parseOptions`: each option is `--name value`, or a flag. */
export type OptionSpec = Record<string, { kind: 'int' | 'string' | 'flag' | 'date' }>;
export type ParsedOptions<S extends OptionSpec> = {
  [K in keyof S]?: S[K]['kind'] extends 'int' ? number : S[K]['kind'] extends 'flag' ? boolean : string;
};

const MODULE_OPTIONS = {
  command: { kind: 'string' },
  item: { kind: 'int' },
  module: { kind: 'int' },
  runningoperation: { kind: 'int' },
  itemtype: { kind: 'string' },
  subcommand: { kind: 'string' },
  id: { kind: 'int' },
  searchstring: { kind: 'string' },
  lang: { kind: 'string' },
  level: { kind: 'int' },
} as const satisfies OptionSpec;

/** True when argv asks for help (`--help` or `-h`) anywhere: help never needs the other options to be valid. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * Options `spec` does not know are taken out of argv, each with its value (`--userid 5`, `--password=x`), and named
 * in `ignored`: the core may pass options a module does not use, and ISPsystem's modules ignore them (contract
 * section 2). Values are never kept: an ignored option can be a password.
 */
export function withoutUnknownOptions(
  argv: readonly string[],
  spec: OptionSpec,
  ignored: string[] = [],
): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? '';
    const name = /^--?([^=]+)/.exec(token)?.[1];
    if (name === undefined || name in spec) {
      kept.push(token);
      // A known option's value is its own, whatever it looks like.
      const known = name === undefined ? undefined : spec[name];
      if (known && known.kind !== 'flag' && !token.includes('=') && i + 1 < argv.length)
        kept.push(argv[++i] ?? '');
      continue;
    }
    ignored.push(name);
    const next = argv[i + 1];
    if (!token.includes('=') && next !== undefined && !next.startsWith('-')) i += 1;
  }
  return kept;
}

/**
 * Parses `--name value` options: missing values and bad numbers are ArgumentErrors. Unknown options are
 * ArgumentErrors too, unless `ignored` is given: then they are skipped and named there (see withoutUnknownOptions).
 * Only the core's command line is read that way; an admin's or cron's typo (`--dryrun`) must not run for real.
 */
export function parseOptions<S extends OptionSpec>(
  argv: readonly string[],
  spec: S,
  ignored?: string[],
): ParsedOptions<S> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, { kind }] of Object.entries(spec))
    options[name] = { type: kind === 'flag' ? 'boolean' : 'string' };
  const args = ignored === undefined ? [...argv] : withoutUnknownOptions(argv, spec, ignored);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    const message = (err as Error).message;
    const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1]?.replace(/^-+/, '') ?? 'argv';
    throw new ArgumentError(option, message.split('\n')[0] ?? message);
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [name, raw] of Object.entries(values)) {
    if (raw === undefined) continue;
    const kind = spec[name]?.kind;
    if (kind === 'int') {
      if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) {
        throw new ArgumentError(name, `--${name} must be a whole number, got '${String(raw)}'`);
      }
      out[name] = Number(raw);
    } else if (kind === 'date') {
      if (typeof raw !== 'string' || !isCalendarDate(raw)) {
        throw new ArgumentError(name, `--${name} must be a date YYYY-MM-DD, got '${String(raw)}'`);
      }
      out[name] = raw;
    } else {
      out[name] = raw;
    }
  }
  return out as ParsedOptions<S>;
}

/** Parses a processing-module command line; `supported` lists the commands this module implements. */
export function parseModuleArgs(
  argv: readonly string[],
  supported: readonly ModuleCommand[],
  ignored: string[] = [],
): ModuleArgs {
  const values = parseOptions(argv, MODULE_OPTIONS, ignored);
  const command = values.command;
  if (command === undefined) throw new ArgumentError('command', '--command is required');
  if (!(supported as readonly string[]).includes(command)) {
    throw new ArgumentError('command', `unknown command '${command}'`);
  }
  const args = { ...values, command } as ModuleArgs;
  if ((ITEM_COMMANDS as readonly string[]).includes(command) && args.item === undefined) {
    throw new ArgumentError('item', `--item is required for --command ${command}`);
  }
  if ((MODULE_COMMANDS as readonly string[]).includes(command) && args.module === undefined) {
    throw new ArgumentError('module', `--module is required for --command ${command}`);
  }
  if (command === 'import' && args.itemtype === undefined) {
    throw new ArgumentError('itemtype', '--itemtype is required for --command import');
  }
  if (command === 'import_pricelist' && args.subcommand !== undefined && args.subcommand !== 'pricelist') {
    throw new ArgumentError(
      'subcommand',
      `unknown --subcommand '${args.subcommand}': only 'pricelist' (with --id) is known`,
    );
  }
  if (command === 'import_pricelist' && args.subcommand === 'pricelist' && args.id === undefined) {
    throw new ArgumentError('id', '--id is required for --command import_pricelist --subcommand pricelist');
  }
  return args;
}
