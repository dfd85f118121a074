/** What the redemption tests share: ports that record, code batches made in one call. */
import type { Knex } from 'knex';
import {
  validateCertificateBatch,
  validateCodeBatch,
  type CertificateBatchInput,
  type CodeBatchInput,
} from '../../../src/domain/promotion/codes/batch';
import { generateBatch } from '../../../src/promotions/codes/generate';
import type { AccountCredit, Eligibility, RedemptionPorts } from '../../../src/promotions/redemption/ports';

/** For the tests that are not about eligibility: every client is eligible. */
export const alwaysEligible: Eligibility = async () => ({ eligible: true });

/** A credit function that records what it was asked to credit, as the host adapter's would carry it out. */
export class RecordingCredit {
  readonly credits: AccountCredit[] = [];
  readonly credit = async (_db: unknown, credit: AccountCredit): Promise<{ payment: number | null }> => {
    this.credits.push(credit);
    return { payment: null };
  };

  /** The sum of what was credited to the account, in minor units. */
  totalFor(account: number): bigint {
    return this.credits.filter((c) => c.account === account).reduce((s, c) => s + c.amount.minor, 0n);
  }
}

export function ports(
  now: Date,
  credit = new RecordingCredit(),
  eligibility = alwaysEligible,
): RedemptionPorts {
  return { now, eligibility, credit: credit.credit };
}

export async function codesOf(db: Knex, batch: number): Promise<string[]> {
  return (await db('bmp_promotion_code').where({ batch }).orderBy('id').pluck('code')) as string[];
}

export async function makeCodes(
  db: Knex,
  input: Partial<CodeBatchInput> & { promotion: number },
  now = new Date('2026-12-01T00:00:00Z'),
): Promise<string[]> {
  const { batch } = await generateBatch(
    db,
    validateCodeBatch({ template: 'T-????????', digitsOnly: false, count: 1, ...input }),
    { now },
  );
  return codesOf(db, batch);
}

export async function makeCertificates(
  db: Knex,
  input: Partial<CertificateBatchInput> & Pick<CertificateBatchInput, 'promotion' | 'amount'>,
  now = new Date('2026-12-01T00:00:00Z'),
): Promise<string[]> {
  const { batch } = await generateBatch(
    db,
    validateCertificateBatch({ template: 'G-??????????', count: 1, ...input }),
    { now },
  );
  return codesOf(db, batch);
}

export async function codeUses(db: Knex, code: string): Promise<number> {
  const row = (await db('bmp_promotion_code').where({ code }).first('uses')) as { uses: number };
  return Number(row.uses);
}
