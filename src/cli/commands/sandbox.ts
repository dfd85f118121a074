/** `billmgr-plugin sandbox`: starts the sandbox selling BILLmanager for a person to try. */
import type { Command } from 'commander';
import { outputOf, parseWholeNumber } from '../output';

export function register(program: Command): void {
  program
    .command('sandbox')
    .description('run the sandbox selling BILLmanager on loopback until interrupted')
    .option('--port <n>', 'port to listen on (default: a free one)', parseWholeNumber)
    .option('--auto-activate', 'activate ordered services right away (emit their setup events)')
    .action(async (options: { port?: number; autoActivate?: boolean }, command: Command) => {
      const { runSandboxCli } = await import('../../sandbox/cli');
      await runSandboxCli({
        ...(options.port !== undefined ? { port: options.port } : {}),
        autoActivate: options.autoActivate === true,
        json: outputOf(command).json,
      });
    });
}
