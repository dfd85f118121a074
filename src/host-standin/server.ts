/**
 * The stand-in as a running core for the thin mgrctl (`bin/host-mgrctl-thin`): a real host's mgrctl is a small
 * client of the core's daemon, spawned per call. Each connection carries one call's argv (NUL-separated) and gets
 * its answer document back. Used by the benchmark to spawn a process per call at volume.
 */
import { createServer, type Server } from 'node:net';
import type { Knex } from 'knex';
import { toHostError } from '../contract/errors';
import { redact } from '../contract/redact';
import { buildDoc, errorDoc } from '../contract/xml';
import { openDatabaseUrl } from '../db/connect';
import { applyCallback, type StandinSettings } from './callbacks';
import { parseMgrctlArgv } from './main';

export interface StandinServer {
  close(): Promise<void>;
}

export async function startStandinServer(
  socketPath: string,
  settings: Required<StandinSettings>,
): Promise<StandinServer> {
  const db: Knex = openDatabaseUrl(settings.databaseUrl);
  // Half-open: the client ends its side after the argv and still reads the answer.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      const argv = Buffer.concat(chunks).toString('utf8').split('\0').slice(0, -1);
      void answer(db, argv, settings).then((doc) => socket.end(doc));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
    },
  };
}

async function answer(db: Knex, argv: readonly string[], settings: StandinSettings): Promise<string> {
  try {
    const { func, params } = parseMgrctlArgv(argv);
    return buildDoc(await applyCallback(db, func, params, new Date(), settings));
  } catch (err) {
    return redact(errorDoc(toHostError(err)));
  }
}

if (require.main === module) {
  const [socketPath, databaseUrl, mgrdir] = process.argv.slice(2);
  if (!socketPath || !databaseUrl || !mgrdir) {
    process.stderr.write('usage: server.js <socket> <database url> <mgrdir>\n');
    process.exitCode = 2;
  } else {
    startStandinServer(socketPath, { databaseUrl, mgrdir }).then(
      (running) => {
        process.stdout.write('ready\n');
        const stop = (): void => void running.close();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      },
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
