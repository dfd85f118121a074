/** The plugin's `bmp_period_mapping`: period comparison properties of a processing module (seed 004). */
import type { Db } from './types';
import type { PeriodMapping } from '../domain/periods';

export interface DbPeriodMappingRow {
  id: number;
  processingmodule: number;
  source_period: number;
  target_period: number;
  /** '' = every product type. */
  itemtype: string;
  /** 0 = every tariff. */
  pricelist: number;
}

export function toPeriodMapping(row: DbPeriodMappingRow): PeriodMapping {
  return {
    source: Number(row.source_period),
    target: Number(row.target_period),
    itemtype: row.itemtype ?? '',
    pricelist: Number(row.pricelist ?? 0),
  };
}

export async function listPeriodMappingRows(
  db: Db,
  processingmodule?: number,
): Promise<DbPeriodMappingRow[]> {
  const query = db<DbPeriodMappingRow>('bmp_period_mapping').orderBy(['processingmodule', 'id']);
  if (processingmodule !== undefined) query.where({ processingmodule });
  return query;
}

/** The module's mappings in the form `mapPeriod` takes. */
export async function listPeriodMappings(db: Db, processingmodule: number): Promise<PeriodMapping[]> {
  return (await listPeriodMappingRows(db, processingmodule)).map(toPeriodMapping);
}

export type NewPeriodMapping = Omit<DbPeriodMappingRow, 'id'>;

/**
 * Adds a mapping, or changes the target of the one with the same key (module, source, itemtype, tariff):
 * the unique key makes a repeated `add` an update, never a duplicate.
 */
export async function upsertPeriodMapping(db: Db, row: NewPeriodMapping): Promise<DbPeriodMappingRow> {
  const key = {
    processingmodule: row.processingmodule,
    source_period: row.source_period,
    itemtype: row.itemtype,
    pricelist: row.pricelist,
  };
  await db('bmp_period_mapping')
    .insert(row)
    .onConflict(['processingmodule', 'source_period', 'itemtype', 'pricelist'])
    .merge(['target_period']);
  const saved = await db<DbPeriodMappingRow>('bmp_period_mapping').where(key).first();
  if (!saved) throw new Error('period mapping was not saved');
  return saved;
}

export async function deletePeriodMapping(db: Db, id: number): Promise<boolean> {
  return (await db('bmp_period_mapping').where({ id }).delete()) > 0;
}
