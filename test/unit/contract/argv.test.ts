/** The processing-module command line of host contract section 2: every option, and every way to get it wrong. */
import {
  MODULE_HANDLER_COMMANDS,
  parseModuleArgs,
  parseOptions,
  wantsHelp,
} from '../../../src/contract/argv';
import { ArgumentError } from '../../../src/contract/errors';

const ALL = MODULE_HANDLER_COMMANDS;

function argumentError(run: () => unknown): ArgumentError {
  try {
    run();
  } catch (err) {
    if (err instanceof ArgumentError) return err;
    throw err;
  }
  throw new Error('expected an ArgumentError');
}

describe('parseModuleArgs: every option of contract section 2 parses', () => {
  it('reads --item and --runningoperation as numbers for an item command', () => {
    expect(parseModuleArgs(['--command', 'open', '--item', '42', '--runningoperation', '7'], ALL)).toEqual({
      command: 'open',
      item: 42,
      runningoperation: 7,
    });
  });

  it.each(['open', 'suspend', 'resume', 'close', 'setparam', 'prolong', 'sync_item'])(
    'accepts --item for %s',
    (command) => {
      expect(parseModuleArgs(['--command', command, '--item', '5'], ALL)).toMatchObject({ command, item: 5 });
    },
  );

  it('reads --module, --itemtype, --searchstring, --lang and --level for import', () => {
    const argv = ['--command', 'import', '--module', '3', '--itemtype', 'vds', '--searchstring', 'web 1'];
    expect(parseModuleArgs([...argv, '--lang', 'en', '--level', '16'], ALL)).toEqual({
      command: 'import',
      module: 3,
      itemtype: 'vds',
      searchstring: 'web 1',
      lang: 'en',
      level: 16,
    });
  });

  it('reads --subcommand and --id for import_pricelist', () => {
    const argv = [
      '--command',
      'import_pricelist',
      '--module',
      '3',
      '--subcommand',
      'pricelist',
      '--id',
      '11',
    ];
    expect(parseModuleArgs(argv, ALL)).toEqual({
      command: 'import_pricelist',
      module: 3,
      subcommand: 'pricelist',
      id: 11,
    });
  });

  it('reads --module for sync_pricelist and needs nothing more for features, check_connection and stat', () => {
    expect(parseModuleArgs(['--command', 'sync_pricelist', '--module', '9'], ALL)).toEqual({
      command: 'sync_pricelist',
      module: 9,
    });
    for (const command of ['features', 'check_connection', 'stat']) {
      expect(parseModuleArgs(['--command', command], ALL)).toEqual({ command });
    }
  });

  it('takes the options in any order and a value that starts with a dash', () => {
    expect(parseModuleArgs(['--item', '8', '--command', 'close', '--searchstring=-x'], ALL)).toEqual({
      command: 'close',
      item: 8,
      searchstring: '-x',
    });
  });
});

describe('parseModuleArgs: options the module does not know', () => {
  it('skips them with their values and names them, values never', () => {
    const ignored: string[] = [];
    expect(
      parseModuleArgs(
        [
          '--userid',
          '5',
          '--command',
          'open',
          '--password=s3cret',
          '--item',
          '7',
          '--newflag',
          '--lang',
          'ru',
        ],
        ALL,
        ignored,
      ),
    ).toEqual({ command: 'open', item: 7, lang: 'ru' });
    expect(ignored).toEqual(['userid', 'password', 'newflag']);
  });

  it('still fails on a missing required option', () => {
    expect(() => parseModuleArgs(['--userid', '5', '--command', 'suspend'], ALL)).toThrow(
      /--item is required for --command suspend/,
    );
  });
});

describe('parseModuleArgs: bad command lines are ArgumentErrors that name the option', () => {
  it.each([
    ['no --command at all', ['--item', '1'], 'command', /--command is required/],
    ['an unknown command', ['--command', 'explode'], 'command', /unknown command 'explode'/],
    ['a missing value', ['--command', 'open', '--item'], 'item', /item/],
    [
      'missing --item for an item command',
      ['--command', 'suspend'],
      'item',
      /--item is required for --command suspend/,
    ],
    [
      'missing --module for import_pricelist',
      ['--command', 'import_pricelist'],
      'module',
      /--module is required/,
    ],
    [
      'missing --module for sync_pricelist',
      ['--command', 'sync_pricelist'],
      'module',
      /--module is required/,
    ],
    [
      'missing --itemtype for import',
      ['--command', 'import', '--module', '2'],
      'itemtype',
      /--itemtype is required/,
    ],
    [
      'missing --id for import_pricelist --subcommand pricelist',
      ['--command', 'import_pricelist', '--module', '2', '--subcommand', 'pricelist'],
      'id',
      /--id is required/,
    ],
    [
      'a word for --item',
      ['--command', 'open', '--item', 'ten'],
      'item',
      /--item must be a whole number, got 'ten'/,
    ],
    ['a fraction for --module', ['--command', 'sync_pricelist', '--module', '1.5'], 'module', /whole number/],
    [
      'a word for --runningoperation',
      ['--command', 'features', '--runningoperation', 'x'],
      'runningoperation',
      /whole/,
    ],
    ['a word for --level', ['--command', 'features', '--level', 'high'], 'level', /whole number/],
    ['a positional argument', ['--command', 'features', 'extra'], 'argv', /extra/],
  ])('%s', (_what, argv, option, message) => {
    const err = argumentError(() => parseModuleArgs(argv, ALL));
    expect(err.type).toBe('value');
    expect(err.object).toBe(option);
    expect(err.message).toMatch(message);
  });

  it('refuses a known command that this module does not implement', () => {
    const err = argumentError(() => parseModuleArgs(['--command', 'open', '--item', '1'], ['features']));
    expect(err.object).toBe('command');
    expect(err.message).toBe("unknown command 'open'");
  });
});

describe('parseOptions for the other handlers', () => {
  const spec = { date: { kind: 'date' }, dry: { kind: 'flag' }, limit: { kind: 'int' } } as const;

  it('reads dates, flags and numbers', () => {
    expect(parseOptions(['--date', '2024-02-29', '--dry', '--limit', '10'], spec)).toEqual({
      date: '2024-02-29',
      dry: true,
      limit: 10,
    });
  });

  it.each([['2023-02-29'], ['2024-13-01'], ['01.02.2024']])('refuses the date %s', (date) => {
    expect(argumentError(() => parseOptions(['--date', date], spec)).message).toMatch(
      /must be a date YYYY-MM-DD/,
    );
  });
});

describe('wantsHelp', () => {
  it('finds --help or -h anywhere, even beside bad options', () => {
    expect(wantsHelp(['--command', 'nope', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--command', 'features'])).toBe(false);
  });
});
