/** `handlers/pmbillmgr`: the reseller processing module. Only `features` and `--help` load nothing heavy. */
import { parseModuleArgs, type ArgsOf, type ModuleArgs, type ModuleCommand } from '../contract/argv';
import { runHandler, type HandlerContext, type HandlerSpec } from './handler';
import { ITEM_TYPES } from '../contract/item-types';
import { buildDoc } from '../contract/xml';
import { MODULE_NAME } from '../module-name';

type CommandImpl<C extends ModuleCommand> = (args: ArgsOf<C>, ctx: HandlerContext) => Promise<string>;

/** Each implemented command, loaded only when called, typed by its own arguments. `features` reports exactly these keys. */
const COMMANDS: { [C in ModuleCommand]?: () => Promise<CommandImpl<C>> } = {
  features: async () => async () => featuresDoc(),
  check_connection: async () => (await import('../reseller/services/commands')).checkConnectionCommand,
  open: async () => (await import('../reseller/services/commands')).openCommand,
  suspend: async () => (await import('../reseller/services/commands')).lifecycleCommand('suspend'),
  resume: async () => (await import('../reseller/services/commands')).lifecycleCommand('resume'),
  close: async () => (await import('../reseller/services/commands')).lifecycleCommand('close'),
  setparam: async () => (await import('../reseller/services/commands')).lifecycleCommand('setparam'),
  prolong: async () => (await import('../reseller/services/commands')).lifecycleCommand('prolong'),
  sync_item: async () => (await import('../reseller/services/commands')).syncItemCommand,
  import: async () => (await import('../reseller/services/commands')).importCommand,
  import_pricelist: async () => (await import('../reseller/tariffs/commands')).importPricelistCommand,
  sync_pricelist: async () => (await import('../reseller/tariffs/commands')).syncPricelistCommand,
};

export function featuresDoc(): string {
  return buildDoc({
    itemtypes: { itemtype: ITEM_TYPES.map((name) => ({ $: { name } })) },
    params: {
      param: [
        { $: { name: 'url' } },
        { $: { name: 'username' } },
        { $: { name: 'password', crypted: 'yes' } },
        { $: { name: 'minbalance' } },
      ],
    },
    features: {
      feature: Object.keys(COMMANDS)
        .filter((c) => c !== 'features')
        .map((name) => ({ $: { name } })),
    },
  });
}

const HELP = `pmbillmgr: resells services of a selling BILLmanager (processing module, installed as
processing/${MODULE_NAME}: the module name the panel knows it by).

Usage: pmbillmgr --command COMMAND [--item N] [--module N] [--runningoperation N] [options]

Commands: ${Object.keys(COMMANDS).join(', ')}
Options (host contract section 2):
  --item N              service id (open, suspend, resume, close, setparam, prolong, sync_item)
  --module N            processing module id (import, import_pricelist, sync_pricelist)
  --runningoperation N  running operation; errors are saved on it
  --itemtype T          product type (import)
  --subcommand S, --id N, --searchstring S, --lang L, --level N
Output: one XML document on stdout; errors as <doc><error/></doc> with a non-zero exit.`;

export const pmbillmgr: HandlerSpec<ModuleArgs> = {
  name: 'pmbillmgr',
  help: HELP,
  parse: (argv, ignored) => parseModuleArgs(argv, Object.keys(COMMANDS) as ModuleCommand[], ignored),
  logContext: (args) => ({ command: args.command, item: args.item, module: args.module }),
  runningOperation: (args) => args.runningoperation,
  async execute(args, ctx) {
    const load = COMMANDS[args.command] as (() => Promise<CommandImpl<typeof args.command>>) | undefined;
    if (!load) throw new Error(`command ${args.command} is not implemented`);
    // The parser made `args` the member of ModuleArgs that its command names.
    return (await load())(args as never, ctx);
  },
};

export function run(): Promise<void> {
  return runHandler(pmbillmgr);
}
