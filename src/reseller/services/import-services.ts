/**
 * Service import (seed 004, "Service import"): services that exist on the selling side but not here are created
 * through the core (`processing.import.service`), and optionally assigned to a client (`processing.import.assign`).
 * A service already here, found by its selling id or by what identifies it for its type (IP address, control-panel
 * id, username), is refused. A service whose tariff was not imported is reported with the tariff to import first.
 */
import type { Knex } from 'knex';
import { HostError, toHostError } from '../../contract/errors';
import { textOf } from '../../contract/xml';
import { itemsLinkedTo } from '../../db/item';
import { withServiceImportLock } from '../../db/item-lock';
import { ipAddonsOf, liveItemsByIp } from '../../db/itemip';
import { liveItemsByParam } from '../../db/itemparam';
import { findImportedPricelist, type DbPricelistRow } from '../../db/pricelist';
import { addIp, call, confirmed, coreCalls } from '../../host/core';
import { CORE_FUNCTIONS } from '../../host/facts';
import type { ServiceContext } from './context';
import { connectModule } from './selling-client';
import { ItemStatus, listSellingServices, type SellingService } from './selling-services';

/** What identifies a service of each importable type when it is already here (seed 004). */
export const IMPORT_MATCH = { vds: 'ip', dedic: 'ip', vhost: 'username', soft: 'panelid' } as const;
export type ImportableType = keyof typeof IMPORT_MATCH;
type MatchKey = (typeof IMPORT_MATCH)[ImportableType] | 'remoteid';

/** Services between two progress lines in the log. */
export const PROGRESS_EVERY = 25;

export type ImportOutcome =
  | { result: 'imported'; service: SellingService; item: number; assigned: boolean }
  | { result: 'exists'; service: SellingService; item: number; match: MatchKey; value: string }
  | { result: 'no_tariff'; service: SellingService }
  | { result: 'failed'; service: SellingService; error: string };

export interface ImportRequest {
  module: number;
  itemtype: string;
  /** Name mask; `*` stands for any text. Without `*`, names containing the mask match. */
  searchstring?: string;
  /** Assign each imported service to this client account. */
  account?: number;
}

export interface ImportReport {
  module: number;
  itemtype: ImportableType;
  /** Selling services of the type matching the mask (deleted ones are never imported). */
  listed: number;
  outcomes: ImportOutcome[];
  /** Selling tariff id -> names of the services waiting for it. */
  missingTariffs: Map<string, string[]>;
}

export function isImportableType(itemtype: string): itemtype is ImportableType {
  return Object.hasOwn(IMPORT_MATCH, itemtype);
}

/** `*` is any text, everything else literal, case-insensitive; without `*` a name containing the mask matches. */
export function nameMatcher(mask: string | undefined): (name: string) => boolean {
  const trimmed = mask?.trim() ?? '';
  if (trimmed === '' || trimmed === '*') return () => true;
  const pattern = trimmed
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(trimmed.includes('*') ? `^${pattern}$` : pattern, 'i');
  return (name) => regex.test(name);
}

export async function importServices(ctx: ServiceContext, request: ImportRequest): Promise<ImportReport> {
  const { itemtype } = request;
  if (!isImportableType(itemtype)) {
    throw new HostError(
      'value',
      'itemtype',
      `services of type '${itemtype}' cannot be imported: use one of ${Object.keys(IMPORT_MATCH).join(', ')}`,
      {
        value: 'itemtype',
      },
    );
  }
  const db = await ctx.db();
  const { client } = await connectModule(ctx, request.module);
  const matches = nameMatcher(request.searchstring);
  const listed = await listSellingServices(client, itemtype);
  for (const broken of listed.unreadable) ctx.log.warn(`import: ${broken.error.message}: not imported`);
  const services = listed.services.filter((s) => s.status !== ItemStatus.deleted && matches(s.name));
  ctx.log.info(
    `import: ${services.length} ${itemtype} services on the selling side match '${request.searchstring ?? '*'}'`,
  );

  // A second import of the module waits, then finds what this one created.
  return withServiceImportLock(db, request.module, () => importListed(ctx, db, request, itemtype, services));
}

async function importListed(
  ctx: ServiceContext,
  db: Knex,
  request: ImportRequest,
  itemtype: ImportableType,
  services: SellingService[],
): Promise<ImportReport> {
  const known = await knownServices(db, request.module, itemtype, services);
  const tariffs = new Map<string, DbPricelistRow | undefined>();
  const report: ImportReport = {
    module: request.module,
    itemtype,
    listed: services.length,
    outcomes: [],
    missingTariffs: new Map(),
  };
  for (const [index, service] of services.entries()) {
    const outcome = await importOne(ctx, db, request, service, known, tariffs);
    report.outcomes.push(outcome);
    if (outcome.result === 'no_tariff') {
      report.missingTariffs.set(service.pricelist, [
        ...(report.missingTariffs.get(service.pricelist) ?? []),
        service.name,
      ]);
    }
    if ((index + 1) % PROGRESS_EVERY === 0 || index + 1 === services.length) {
      ctx.log.info(`import: ${index + 1} of ${services.length} services done`);
    }
  }
  return report;
}

/** Local services the selling ones could already be: by selling id, and by the identifying value of the type. */
interface KnownServices {
  remoteid: Map<string, number>;
  identity: Map<string, number>;
  match: (typeof IMPORT_MATCH)[ImportableType];
}

async function knownServices(
  db: Knex,
  module: number,
  itemtype: ImportableType,
  services: SellingService[],
): Promise<KnownServices> {
  const match = IMPORT_MATCH[itemtype];
  const remoteid = await itemsLinkedTo(
    db,
    module,
    services.map((s) => s.id),
  );
  const identity =
    match === 'ip'
      ? await liveItemsByIp(
          db,
          itemtype,
          services.flatMap((s) => s.ips),
        )
      : await liveItemsByParam(db, itemtype, match, services.map((s) => s[match]).filter(Boolean));
  return { remoteid, identity, match };
}

function identitiesOf(service: SellingService, match: KnownServices['match']): string[] {
  if (match === 'ip') return service.ips;
  return service[match] ? [service[match]] : [];
}

async function importOne(
  ctx: ServiceContext,
  db: Knex,
  request: ImportRequest,
  service: SellingService,
  known: KnownServices,
  tariffs: Map<string, DbPricelistRow | undefined>,
): Promise<ImportOutcome> {
  const linked = known.remoteid.get(service.id);
  if (linked !== undefined)
    return { result: 'exists', service, item: linked, match: 'remoteid', value: service.id };
  for (const value of identitiesOf(service, known.match)) {
    const item = known.identity.get(value);
    if (item !== undefined) return { result: 'exists', service, item, match: known.match, value };
  }
  if (!tariffs.has(service.pricelist))
    tariffs.set(service.pricelist, await findImportedPricelist(db, request.module, service.pricelist));
  const tariff = tariffs.get(service.pricelist);
  if (!tariff?.intname) return { result: 'no_tariff', service };
  try {
    const item = await createService(ctx, db, request, service, tariff);
    // Two selling services with the same identity in one list: the second is refused like any duplicate.
    known.remoteid.set(service.id, item);
    for (const value of identitiesOf(service, known.match)) known.identity.set(value, item);
    const assigned = request.account !== undefined;
    if (assigned) await assignService(ctx, item, request.account ?? 0, tariff.id);
    ctx.log.info(`import: selling ${request.itemtype} ${service.id} '${service.name}' is service ${item}`);
    return { result: 'imported', service, item, assigned };
  } catch (err) {
    return { result: 'failed', service, error: toHostError(err).message };
  }
}

async function createService(
  ctx: ServiceContext,
  db: Knex,
  request: ImportRequest,
  service: SellingService,
  tariff: DbPricelistRow,
): Promise<number> {
  const answer = await call(
    ctx.mgrctl,
    confirmed(CORE_FUNCTIONS.importService, {
      module: request.module,
      import_pricelist_intname: tariff.intname ?? '',
      import_service_name: service.name,
      status: service.status,
      expiredate: service.expiredate || undefined,
      period: service.period,
      remoteid: service.id,
    }),
  );
  const item = Number(textOf(answer.service_id));
  if (!Number.isInteger(item) || item <= 0) {
    throw new HostError(
      'xml',
      'processing.import.service',
      'the core did not answer with the new service_id',
    );
  }
  // What identifies the service is kept here, so that the next import refuses it by the same rule.
  await addServiceIps(ctx, db, item, service.ips);
  const match = IMPORT_MATCH[request.itemtype as ImportableType];
  if (match !== 'ip' && service[match]) {
    await call(ctx.mgrctl, coreCalls.saveParam(item, match, service[match]));
  }
  return item;
}

/** The addresses go onto the service's IP add-on through the core; a service without one keeps none (logged). */
async function addServiceIps(
  ctx: ServiceContext,
  db: Knex,
  item: number,
  addresses: readonly string[],
): Promise<void> {
  if (addresses.length === 0) return;
  const addon = (await ipAddonsOf(db, [item])).get(item);
  if (addon === undefined) {
    ctx.log.warn(
      `import: service ${item} has no IP add-on, so its addresses ${addresses.join(', ')} are not recorded here`,
      { item },
    );
    return;
  }
  for (const ip of new Set(addresses)) await addIp(ctx.mgrctl, addon, { ip });
}

/** Gives an imported service to a client account, with its tariff. */
export async function assignService(
  ctx: ServiceContext,
  item: number,
  account: number,
  pricelist: number,
): Promise<void> {
  await call(
    ctx.mgrctl,
    confirmed(CORE_FUNCTIONS.importAssign, { elid: item, account, [`pricelist_${item}`]: pricelist }),
  );
}
