/** Generating promo codes and certificates on MariaDB: the space check, digits only, collisions, export, revoke. */
import {
  validateCertificateBatch,
  validateCodeBatch,
  type CodeBatchInput,
} from '../../../src/domain/promotion/codes/batch';
import { money } from '../../../src/domain/money';
import { ValidationError } from '../../../src/domain/errors';
import { generateBatch } from '../../../src/promotions/codes/generate';
import { exportCodes, listCodes, revoke } from '../../../src/promotions/codes/manage';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { PromotionWorld } from './codes-world';

let throwaway: ThrowawayDb;
let world: PromotionWorld;
const now = new Date('2026-12-02T10:00:00Z');

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

function codes(input: Partial<CodeBatchInput> & { promotion: number }) {
  return validateCodeBatch({ template: 'SALE-??????', digitsOnly: false, count: 10, ...input });
}

/** A pick that counts up: the n-th code of a two-digit template is n (00, 01, ...). */
function countingPick(start = 0): (size: number) => number {
  let n = start;
  let position = 0;
  return (size) => {
    const digit = position === 0 ? Math.floor(n / size) % size : n % size;
    position = (position + 1) % 2;
    if (position === 0) n += 1;
    return digit;
  };
}

async function keysOf(promotion: number): Promise<string[]> {
  return (await throwaway
    .db('bmp_promotion_code')
    .where({ promotion })
    .orderBy('code_key')
    .pluck('code_key')) as string[];
}

describe('promo code generation', () => {
  it('makes the count of distinct codes from the template, letters and digits without look-alikes', async () => {
    const promotion = await world.promotion();
    const progress: number[] = [];
    const result = await generateBatch(throwaway.db, codes({ promotion, count: 1200 }), {
      now,
      chunkSize: 500,
      onProgress: (done) => progress.push(done),
    });
    expect(result.generated).toBe(1200);
    expect(progress).toEqual([500, 1000, 1200]);
    const made = (await throwaway
      .db('bmp_promotion_code')
      .where({ promotion })
      .select('code', 'code_key')) as {
      code: string;
      code_key: string;
    }[];
    expect(new Set(made.map((m) => m.code_key)).size).toBe(1200);
    for (const { code, code_key } of made) {
      expect(code).toMatch(/^SALE-[2-9A-HJKMNP-Z]{6}$/);
      expect(code_key).toBe(`SA1E${code.slice(5)}`); // the fixed part's L folds onto 1
    }
    const [batch] = (await throwaway.db('bmp_promotion_code_batch').where({ id: result.batch })) as {
      status: string;
      generated: number;
    }[];
    expect(batch).toMatchObject({ status: 'complete', generated: 1200 });
  });

  it('makes digits-only codes when asked', async () => {
    const promotion = await world.promotion();
    await generateBatch(
      throwaway.db,
      codes({ promotion, template: 'd-????????', digitsOnly: true, count: 50 }),
      { now },
    );
    for (const key of await keysOf(promotion)) expect(key).toMatch(/^D\d{8}$/);
  });

  it('refuses a template that cannot hold the count, counting the codes it made before, and makes nothing', async () => {
    const promotion = await world.promotion();
    await generateBatch(throwaway.db, codes({ promotion, template: 'FULL??', digitsOnly: true, count: 60 }), {
      now,
    });
    const attempt = generateBatch(
      throwaway.db,
      codes({ promotion, template: 'full??', digitsOnly: true, count: 41 }),
      {
        now,
      },
    );
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toThrow(
      /makes 100 different codes \(60 taken already\): it cannot hold 41 more/,
    );
    expect((await keysOf(promotion)).length).toBe(60);
  });

  it('warns with the odds of a guess when the space would be more than 1/10,000 full', async () => {
    const promotion = await world.promotion();
    const result = await generateBatch(
      throwaway.db,
      codes({ promotion, template: 'W????', digitsOnly: true, count: 5 }),
      {
        now,
      },
    );
    expect(result.warning).toMatch(/one guess in 2000 finds a code/);
  });

  it('draws again only what collided with codes already there', async () => {
    const promotion = await world.promotion();
    const first = await generateBatch(
      throwaway.db,
      codes({ promotion, template: 'C??', digitsOnly: true, count: 50 }),
      { now, pick: countingPick(0), chunkSize: 10 },
    );
    expect(first.regenerated).toBe(0);
    // The second batch draws 00, 01, ... again: the first 50 draws collide, each is drawn again, 50..99 go in.
    const second = await generateBatch(
      throwaway.db,
      codes({ promotion, template: 'C??', digitsOnly: true, count: 50 }),
      { now, pick: countingPick(0), chunkSize: 10 },
    );
    expect(second).toMatchObject({ generated: 50, regenerated: 50 });
    const made = await keysOf(promotion);
    expect(made).toEqual(Array.from({ length: 100 }, (_, n) => `C${String(n).padStart(2, '0')}`));
  });

  it('gives up, marking the batch failed, when the draws keep hitting codes that exist', async () => {
    const promotion = await world.promotion();
    const attempt = generateBatch(
      throwaway.db,
      codes({ promotion, template: 'Z?', digitsOnly: true, count: 5 }),
      { now, pick: () => 0, chunkSize: 2 },
    );
    await expect(attempt).rejects.toThrow(/20 chunks in a row collided with existing codes after 1 of 5/);
    const [batch] = (await throwaway.db('bmp_promotion_code_batch').where({ promotion })) as {
      status: string;
      generated: number;
    }[];
    expect(batch).toMatchObject({ status: 'failed', generated: 1 });
  });

  it('shares the key with certificates: a code that folds onto a certificate is drawn again', async () => {
    const certificates = await world.promotion({ kind: 'certificate' });
    await generateBatch(
      throwaway.db,
      validateCertificateBatch({
        promotion: certificates,
        template: 'O0??',
        count: 1,
        amount: { kind: 'fixed', amount: money(1000n, 'USD') },
      }),
      { now, pick: countingPick(7) },
    );
    const discounts = await world.promotion();
    // 'oo07' folds onto the certificate '0007' (O -> 0): refused by the key, drawn again as 0008.
    const result = await generateBatch(
      throwaway.db,
      codes({ promotion: discounts, template: 'oo??', digitsOnly: true, count: 1 }),
      { now, pick: countingPick(7) },
    );
    expect(result).toMatchObject({ generated: 1, regenerated: 1 });
    expect(await keysOf(discounts)).toEqual(['0008']);
  });

  it('refuses to make promo codes for a certificate promotion and names a missing promotion', async () => {
    const certificates = await world.promotion({ kind: 'certificate' });
    await expect(generateBatch(throwaway.db, codes({ promotion: certificates }), { now })).rejects.toThrow(
      /gives certificates, not promo codes/,
    );
    await expect(generateBatch(throwaway.db, codes({ promotion: 999999 }), { now })).rejects.toThrow(
      'there is no promotion 999999',
    );
  });
});

describe('export, list and revoke', () => {
  it('exports every code of a batch as CSV and as one JSON document, a page at a time', async () => {
    const promotion = await world.promotion();
    const { batch } = await generateBatch(throwaway.db, codes({ promotion, count: 5100 }), { now });
    let csv = '';
    const written = await exportCodes(throwaway.db, { batch }, 'csv', (text) => {
      csv += text;
    });
    const lines = csv.trimEnd().split('\n');
    expect(written).toBe(5100);
    expect(lines[0]).toBe('code,kind,promotion,batch,uses,uses_limit,created_at,revoked_at');
    expect(lines.length).toBe(5101);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(5100);
    expect(lines[1]).toMatch(new RegExp(`^SALE-\\w{6},code,${promotion},${batch},0,,2026-12-02 10:00:00,$`));

    let json = '';
    await exportCodes(throwaway.db, { batch }, 'json', (text) => {
      json += text;
    });
    const parsed = JSON.parse(json) as { code: string }[];
    expect(parsed.map((c) => c.code)).toEqual(lines.slice(1).map((l) => l.split(',')[0]));
  });

  it('revokes codes by what a client would type, and whole batches', async () => {
    const promotion = await world.promotion();
    const { batch } = await generateBatch(throwaway.db, codes({ promotion, count: 3 }), { now });
    const listed = await listCodes(throwaway.db, { promotion, kind: 'code' }, 10);
    expect(listed.batches).toEqual([
      expect.objectContaining({ id: batch, generated: 3, status: 'complete' }),
    ]);
    const first = listed.codes[0]?.code ?? '';
    expect(
      await revoke(throwaway.db, { kind: 'code', codes: [first.toLowerCase().replace('-', ' ')] }, now),
    ).toBe(1);
    expect(await revoke(throwaway.db, { kind: 'code', batch }, now)).toBe(2);
    expect(await revoke(throwaway.db, { kind: 'code', batch }, now)).toBe(0);
    await expect(revoke(throwaway.db, { kind: 'code' }, now)).rejects.toThrow(/name the codes to revoke/);
  });
});
