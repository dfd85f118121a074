/**
 * `billmgr-plugin events list|retry|drop` on the events a real checkevent run kept: real processes, the host
 * stand-in, the sandbox, MariaDB. `npm run build` first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../../src/paths';
import type { ItemEventType } from '../../../src/sandbox/server';
import { cliAsync, put } from '../../support/host-tree';
import { startEventWorld, type EventWorld } from '../../integration/checkevent/world';

let w: EventWorld;
let scratch: string;
/** An mgrctl whose service.postopen fails, as a busy core's would; every other call goes to the stand-in. */
let busyCore: string;

beforeAll(async () => {
  w = await startEventWorld();
  scratch = mkdtempSync(join(tmpdir(), 'events-cli-'));
  busyCore = join(scratch, 'mgrctl');
  put(
    busyCore,
    [
      '#!/bin/sh',
      'case "$*" in *service.postopen*)',
      `  echo '<doc><error type="internal" object="core"><msg>the core is busy</msg></error></doc>'; exit 1;;`,
      'esac',
      `exec '${process.execPath}' '${projectPath('bin', 'host-mgrctl')}' "$@"`,
      '',
    ].join('\n'),
    0o755,
  );
}, 120_000);

afterAll(async () => {
  await w?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Listed {
  id: number;
  module: number;
  type: string;
  item: number | null;
  error: string | null;
}

const events = (args: string[], env: Record<string, string> = {}) =>
  cliAsync(args, { env: { ...w.env, ...env } });

it('lists the kept events with their errors, retries one into the core, and drops one into the log', async () => {
  const opened = await w.service();
  w.sandbox.state.activate(opened.selling.id);
  const odd = await w.service();
  w.sandbox.state.emitEvent({ item: odd.selling.id, type: 'reboot' as ItemEventType });

  const cron = await w.checkevent([], { BMP_MGRCTL: busyCore });
  expect(cron.code).toBe(3);

  const listing = await events(['--json', 'events', 'list', '--module', String(w.module)]);
  expect(listing.status).toBe(0);
  const kept = JSON.parse(listing.stdout) as Listed[];
  expect(kept.map((e) => [e.type, e.item, e.error])).toEqual([
    ['setup', opened.local, expect.stringContaining('the core is busy')],
    ['reboot', odd.local, "unknown event type 'reboot'"],
  ]);
  const readable = await events(['events', 'list']);
  expect(readable.stdout).toContain(`#${kept[0]!.id} module ${w.module} selling event `);
  expect(readable.stdout).toContain(`(service ${opened.local}, `);

  // The core answers again: retry applies the event now.
  const retried = await events(['events', 'retry', String(kept[0]!.id)]);
  expect(retried.stdout).toContain(`event ${kept[0]!.id} applied`);
  expect(retried.status).toBe(0);
  expect(Number((await w.db('item').where({ id: opened.local }).first('status')).status)).toBe(2);

  // An event that cannot be applied stays kept on retry, and says why.
  const again = await events(['events', 'retry', String(kept[1]!.id)]);
  expect(again.status).toBe(1);
  expect(again.stdout).toContain(`event ${kept[1]!.id} still kept: unknown event type 'reboot'`);

  const noReason = await events(['events', 'drop', String(kept[1]!.id)]);
  expect(noReason.status).toBe(1);
  expect(noReason.stderr).toContain("required option '--reason <text>' not specified");

  const dropped = await events([
    'events',
    'drop',
    String(kept[1]!.id),
    '--reason',
    'the selling side sends reboots now',
  ]);
  expect(dropped.status).toBe(0);
  expect(dropped.stdout).toContain(`dropped #${kept[1]!.id} module ${w.module}`);
  // BMP_LOG=stderr here: the log has the whole event.
  expect(dropped.stderr).toContain(
    `dropped stored event ${kept[1]!.id} by hand: the selling side sends reboots now`,
  );
  expect(dropped.stderr).toContain('\\"type\\":\\"reboot\\"');
  expect(await w.db('itemevent').where({ id: kept[1]!.id }).first()).toBeUndefined();
  expect(JSON.parse((await events(['--json', 'events', 'list'])).stdout)).toEqual([]);

  const gone = await events(['events', 'drop', String(kept[1]!.id), '--reason', 'twice']);
  expect(gone.status).toBe(1);
  expect(gone.stderr).toContain(`there is no stored event ${kept[1]!.id}`);
});
