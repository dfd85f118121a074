/** Runs one of handlers/ as the host does (its own process), with the database and the host stand-in's mgrctl. */
import { spawn } from 'node:child_process';
import { projectPath } from '../../src/paths';

export interface HandlerOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runHandlerProcess(
  name: string,
  databaseUrl: string,
  args: string[],
): Promise<HandlerOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(projectPath('handlers', name), args, {
      env: {
        PATH: process.env.PATH ?? '',
        BMP_DATABASE_URL: databaseUrl,
        BMP_LOG: 'stderr',
        // Accounts are credited through the core: the host stand-in's mgrctl.
        BMP_MGRCTL: projectPath('bin', 'host-mgrctl'),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
