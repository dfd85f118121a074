/**
 * Restarting the panel so that it reads the new XML: `mgrctl -m billmgr -R` (host contract section 1). Not an
 * `-o xml` function call, so not through the Mgrctl of src/contract: this one has no document to parse.
 */
import { spawnSync } from 'node:child_process';

export const RESTART_ARGS = ['-m', 'billmgr', '-R'] as const;

export interface RestartOutcome {
  ok: boolean;
  /** The command, as an admin would type it. */
  command: string;
  /** Why it failed, when it did. */
  error?: string;
}

export function restartPanel(mgrctlPath: string, timeoutMs: number): RestartOutcome {
  const command = [mgrctlPath, ...RESTART_ARGS].join(' ');
  const run = spawnSync(mgrctlPath, [...RESTART_ARGS], { encoding: 'utf8', timeout: timeoutMs });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    return { ok: false, command, error: code === 'ENOENT' ? `${mgrctlPath} not found` : run.error.message };
  }
  if (run.status !== 0) {
    const why = (run.stderr || run.stdout).trim().split('\n')[0] ?? '';
    return { ok: false, command, error: `exit ${run.status ?? run.signal}${why ? `: ${why}` : ''}` };
  }
  return { ok: true, command };
}
