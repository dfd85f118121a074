/**
 * winston, to `<mgrdir>/var/bmp-<handler>.log` or stderr; every line carries command, item and module; stdout stays
 * the host's. The `bmp-` keeps the plugin's logs apart from BILLmanager's own (`var/pmbillmgr.log` is the vendor
 * module's).
 */
import type { Logger } from 'winston';
import type { PluginConfig } from './config';
import { redact } from './contract/redact';

export type { Logger };

export interface LogContext {
  handler: string;
  command?: string;
  item?: number;
  module?: number;
}

/** Where a handler's log goes when BMP_LOG is 'file'. */
export function logFilePath(config: Pick<PluginConfig, 'mgrdir'>, handler: string): string {
  return `${config.mgrdir}/var/bmp-${handler}.log`;
}

export function createLogger(config: PluginConfig, context: LogContext): Logger {
  // winston costs ~30 ms to load: only handlers that log pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const winston = require('winston') as typeof import('winston');
  const scrub = winston.format((info) => {
    info.message = redact(String(info.message));
    return info;
  });
  const transport =
    config.log.target === 'stderr'
      ? new winston.transports.Stream({ stream: process.stderr })
      : new winston.transports.File({ filename: logFilePath(config, context.handler) });
  return winston.createLogger({
    level: config.log.level,
    defaultMeta: { command: context.command ?? '', item: context.item ?? '', module: context.module ?? '' },
    format: winston.format.combine(scrub(), winston.format.timestamp(), winston.format.json()),
    transports: [transport],
  });
}
