/** The one way to call back into the core: `mgrctl -m billmgr -o xml <func> key=value ...`. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HostError } from './errors';
import { errorOf, parseXml, type XmlNode } from './xml';

export type MgrctlParams = Readonly<Record<string, string | number | undefined>>;

export interface Mgrctl {
  call(func: string, params?: MgrctlParams): Promise<XmlNode>;
  /**
   * Same effect as calling `call(func, params)` for each of `paramsList`, in order, when it resolves. When it
   * rejects, none of them took effect: the caller makes them one by one to learn which one fails. Optional: the
   * real mgrctl has no batch form (the contract's callbacks take one elid each), so callers fall back to `call`.
   * It resolves to the answers, one per entry, in order, when the function answers something of use.
   */
  callEach?(func: string, paramsList: readonly MgrctlParams[]): Promise<readonly XmlNode[] | void>;
}

export interface MgrctlOptions {
  path: string;
  timeoutMs: number;
  /** The working directory of each call: the host's `<mgrdir>`, as the SDK runs mgrctl (contract section 3). */
  cwd?: string;
}

/** The host's mgrctl as the settings name it, run in `<mgrdir>` when that directory exists. */
export function hostMgrctl(config: { mgrctlPath: string; mgrctlTimeoutMs: number; mgrdir: string }): Mgrctl {
  return createMgrctl({
    path: config.mgrctlPath,
    timeoutMs: config.mgrctlTimeoutMs,
    ...(existsSync(config.mgrdir) ? { cwd: config.mgrdir } : {}),
  });
}

export function mgrctlArgs(func: string, params: MgrctlParams = {}): string[] {
  const args = ['-m', 'billmgr', '-o', 'xml', func];
  for (const [key, value] of Object.entries(params)) if (value !== undefined) args.push(`${key}=${value}`);
  return args;
}

export function createMgrctl({ path, timeoutMs, cwd }: MgrctlOptions): Mgrctl {
  return {
    async call(func, params = {}) {
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          path,
          mgrctlArgs(func, params),
          { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', ...(cwd ? { cwd } : {}) },
          (err, out, errOut) => {
            if (err && !out) {
              // Name the function, never the parameters: they can carry error documents or secrets.
              const why =
                (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : errOut.trim() || err.message;
              reject(new HostError('mgrctl', func, `mgrctl ${func} failed: ${why.split('\n')[0]}`));
            } else resolve(out);
          },
        );
      });
      const doc = await parseXml(stdout, `mgrctl ${func}`);
      const error = errorOf(doc);
      if (error)
        throw new HostError(
          error.type,
          error.object || func,
          `mgrctl ${func}: ${error.message}`,
          error.params,
        );
      return doc;
    },
  };
}
