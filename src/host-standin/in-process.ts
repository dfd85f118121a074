/** The stand-in as a `Mgrctl` without spawning: the benchmark and fast tests call the core's side directly. */
import type { Knex } from 'knex';
import { HostError } from '../contract/errors';
import type { Mgrctl, MgrctlParams } from '../contract/mgrctl';
import { buildDoc, parseXml, type XmlNode } from '../contract/xml';
import { applyCallback, applyCallbacks, type StandinSettings } from './callbacks';

/** Answers exactly as `createMgrctl` pointed at bin/host-mgrctl would: same documents, same errors. */
export function createInProcessMgrctl(
  db: Knex,
  settings: StandinSettings,
  clock: () => Date = () => new Date(),
): Mgrctl {
  return {
    async call(func, params = {}) {
      try {
        const answer = await applyCallback(db, func, asStrings(params), clock(), settings);
        return await parseXml(buildDoc(answer), `mgrctl ${func}`);
      } catch (err) {
        throw asMgrctlError(func, err);
      }
    },
    /** Set-based, in one transaction: the rows of one call per entry, or none of them. */
    async callEach(func, paramsList) {
      try {
        // The answers are flat (ok, ip.id): as parsing their documents would give them.
        return (await applyCallbacks(db, func, paramsList.map(asStrings), clock(), settings)) as XmlNode[];
      } catch (err) {
        throw asMgrctlError(func, err);
      }
    },
  };
}

function asMgrctlError(func: string, err: unknown): unknown {
  if (!(err instanceof HostError)) return err;
  return new HostError(err.type, err.object || func, `mgrctl ${func}: ${err.message}`, err.params);
}

function asStrings(params: MgrctlParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out[key] = String(value);
  return out;
}
