/** Builds the selling-side client of a processing module: its settings, with the timeouts and retries of config.http. */
import type { PluginConfig } from '../../config';
import type { Logger } from '../../log';
import { createSellingClient } from '../../billmgr-api/client';
import type { SellingClient } from '../../billmgr-api/types';
import { loadModuleSettings, type ModuleSettings } from '../../db/processing-module';
import type { ServiceContext } from './context';

/** Where and as whom to reach the selling BILLmanager. */
export interface SellingTarget {
  url: string;
  username: string;
  password: string;
}

export function sellingClientFor(target: SellingTarget, config: PluginConfig, log: Logger): SellingClient {
  return createSellingClient({
    url: target.url,
    username: target.username,
    password: target.password,
    timeoutMs: config.http.timeoutMs,
    retries: config.http.retries,
    maxBackoffMs: config.http.maxBackoffMs,
    log: (level, message) => log.log(level, message),
  });
}

export interface ModuleConnection {
  settings: ModuleSettings;
  client: SellingClient;
}

/** The module's settings (password decrypted) and a client for its selling account. */
export async function connectModule(ctx: ServiceContext, moduleId: number): Promise<ModuleConnection> {
  const settings = await loadModuleSettings(await ctx.db(), ctx.mgrctl, moduleId);
  // Item commands learn their module only here: from now on every log line names it.
  ctx.log.defaultMeta = { ...(ctx.log.defaultMeta as object | undefined), module: moduleId };
  return { settings, client: sellingClientFor(settings, ctx.config, ctx.log) };
}
