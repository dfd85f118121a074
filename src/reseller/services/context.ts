/** What a service operation needs from its caller: the handler's context, or the admin CLI's. */
import type { Knex } from 'knex';
import type { PluginConfig } from '../../config';
import type { Mgrctl } from '../../contract/mgrctl';
import type { Logger } from '../../log';

export interface ServiceContext {
  readonly config: PluginConfig;
  readonly mgrctl: Mgrctl;
  readonly log: Logger;
  db(): Promise<Knex>;
}
