/** `billmgr-plugin sandbox`: starts the sandbox selling BILLmanager for a person to try. */
import { Option, type Command } from 'commander';
import type { AnswerShape } from '../../sandbox/types';
import { outputOf, parseWholeNumber } from '../output';

export function register(program: Command): void {
  program
    .command('sandbox')
    .description('run the sandbox selling BILLmanager on loopback until interrupted')
    .option('--port <n>', 'port to listen on (default: a free one)', parseWholeNumber)
    .option('--auto-activate', 'activate ordered services right away (emit their setup events)')
    .addOption(
      new Option('--shape <shape>', 'how answers are worded (variant: every other documented shape)')
        .choices(['classic', 'variant'])
        .default('classic'),
    )
    .action(
      async (options: { port?: number; autoActivate?: boolean; shape: AnswerShape }, command: Command) => {
        const { runSandboxCli } = await import('../../sandbox/cli');
        await runSandboxCli({
          ...(options.port !== undefined ? { port: options.port } : {}),
          autoActivate: options.autoActivate === true,
          shape: options.shape,
          json: outputOf(command).json,
        });
      },
    );
}
