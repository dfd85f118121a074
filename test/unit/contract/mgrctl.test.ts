/** The one mgrctl caller: argv as the SDK sends it, run in <mgrdir> as the SDK runs it. */
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostMgrctl } from '../../../src/contract/mgrctl';

let dir: string;
let mgrctl: string;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'mgrctl-unit-')));
  mgrctl = join(dir, 'mgrctl');
  // A core that answers where it was run and what it was given.
  writeFileSync(mgrctl, '#!/bin/sh\nprintf \'<doc><cwd>%s</cwd><argv>%s</argv></doc>\' "$(pwd)" "$*"\n');
  chmodSync(mgrctl, 0o755);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostMgrctl', () => {
  it('runs each call in <mgrdir> with -m billmgr -o xml <func> key=value', async () => {
    const answer = await hostMgrctl({ mgrctlPath: mgrctl, mgrctlTimeoutMs: 5000, mgrdir: dir }).call(
      'service.postopen',
      { elid: 7, sok: 'ok' },
    );
    expect(answer).toEqual({ cwd: dir, argv: '-m billmgr -o xml service.postopen elid=7 sok=ok' });
  });

  it('still calls when <mgrdir> does not exist (a host being set up): in the current directory', async () => {
    const answer = await hostMgrctl({
      mgrctlPath: mgrctl,
      mgrctlTimeoutMs: 5000,
      mgrdir: join(dir, 'none'),
    }).call('paramlist');
    expect(answer.cwd).toBe(process.cwd());
  });
});
