/** `billmgr-plugin sandbox`: runs the sandbox for a person to try, printing where it is and who can log in. */
import { toMajorString } from '../domain/money';
import { DEFAULT_ACCOUNTS } from './accounts';
import { startSandbox } from './server';
import type { AnswerShape } from './types';

export interface SandboxCliArgs {
  port?: number;
  autoActivate?: boolean;
  shape?: AnswerShape;
  /** Print one JSON line instead of the human-readable text. */
  json?: boolean;
}

function describe(
  url: string,
  autoActivate: boolean,
  shape: AnswerShape,
  balances: Map<string, string>,
): string {
  const control = url.replace(/\/billmgr$/, '/sandbox');
  const accounts = DEFAULT_ACCOUNTS.map(
    (a) =>
      `  ${a.username.padEnd(10)} password ${a.password.padEnd(16)} ${a.level.padEnd(6)} ${balances.get(a.username)}`,
  );
  return [
    `Sandbox selling BILLmanager at ${url}`,
    `Accounts:`,
    ...accounts,
    `Services ordered ${autoActivate ? 'are activated at once' : `stay ordered until POST ${control}/activate?elid=N`}.`,
    `Answers are worded in the '${shape}' shape (POST ${control}/shape {"shape": "classic"|"variant"} changes it).`,
    `Control: GET ${control}/state, POST ${control}/faults, POST ${control}/event, POST ${control}/expire-sessions`,
    `Press Ctrl+C to stop.`,
    '',
  ].join('\n');
}

/** Starts the sandbox and resolves once it has stopped after SIGINT or SIGTERM. */
export async function runSandboxCli(args: SandboxCliArgs = {}): Promise<void> {
  const autoActivate = args.autoActivate === true;
  const sandbox = await startSandbox({
    ...(args.port !== undefined ? { port: args.port } : {}),
    autoActivate,
    shape: args.shape ?? 'classic',
  });
  const accounts = sandbox.state.accounts();
  const balances = new Map(
    accounts.map((a) => [a.username, `${toMajorString(a.balance)} ${a.balance.currency}`]),
  );
  if (args.json) {
    const seeded = DEFAULT_ACCOUNTS.map(({ username, password, level }) => ({ username, password, level }));
    process.stdout.write(
      JSON.stringify({ url: sandbox.url, autoActivate, shape: sandbox.state.shape, accounts: seeded }) + '\n',
    );
  } else {
    process.stdout.write(describe(sandbox.url, autoActivate, sandbox.state.shape, balances));
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sandbox.close();
}
