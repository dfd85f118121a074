/** bmp_affiliate_program: the affiliate programs. */
import type { Db } from '../types';
import { T, type DbAffiliateProgramRow } from './tables';

export type ProgramColumns = Omit<DbAffiliateProgramRow, 'id' | 'active' | 'created_at'>;

export async function insertProgram(db: Db, row: Omit<DbAffiliateProgramRow, 'id'>): Promise<number> {
  const [id] = await db(T.program).insert(row);
  return Number(id);
}

export async function updateProgramRow(
  db: Db,
  id: number,
  columns: ProgramColumns & Pick<DbAffiliateProgramRow, 'active'>,
): Promise<void> {
  await db(T.program).where({ id }).update(columns);
}

export async function findProgram(db: Db, id: number): Promise<DbAffiliateProgramRow | undefined> {
  return (await db(T.program).where({ id }).first()) as DbAffiliateProgramRow | undefined;
}

export async function listProgramRows(db: Db): Promise<DbAffiliateProgramRow[]> {
  return (await db(T.program).orderBy('id')) as DbAffiliateProgramRow[];
}
