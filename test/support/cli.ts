/** `bin/billmgr-plugin` run as an admin runs it, on a test database: what it exited with and printed. */
import { spawnSync } from 'node:child_process';
import { projectPath } from '../../src/paths';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to the defaults (PATH, the database, no mgrdir, the log on stderr). */
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

export function runCli(databaseUrl: string, args: readonly string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(projectPath('bin', 'billmgr-plugin'), [...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      BMP_DATABASE_URL: databaseUrl,
      BMP_MGRDIR: '/nonexistent',
      BMP_LOG: 'stderr',
      ...options.env,
    },
    timeout: options.timeoutMs ?? 30000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
