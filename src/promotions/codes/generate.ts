/**
 * Generating a batch of promo codes or certificates: the space check first, then chunks of codes inserted into
 * the one code table, where the unique key on the normalised code refuses a code that exists (of any batch, a
 * code or a certificate). Only what collided is drawn again, in the next chunk. Each chunk is one statement and
 * its own commit, so the memory stays one chunk whatever the count; a batch that fails part way is marked
 * `failed` with the codes it made (`revoke --batch` withdraws them).
 */
import type { Knex } from 'knex';
import { systemClock, type Clock } from '../../domain/clock';
import { formatDateTime } from '../../domain/dates';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { ValidBatch } from '../../domain/promotion/codes/batch';
import { cryptoPick, type PickIndex } from '../../domain/promotion/codes/random';
import { checkSpace } from '../../domain/promotion/codes/space';
import { DIGIT_ALPHABET, keyedFiller } from '../../domain/promotion/codes/template';
import {
  codesOfTemplate,
  finishBatch,
  insertBatch,
  insertCodesSkippingTaken,
  recordProgress,
  type NewCodeRow,
} from '../../db/promotion/codes';
import { promotionTerms } from '../../db/promotion/redemption';

/** Rows per INSERT: small enough that a chunk in flight and the next one keep the memory low and flat (5,000 peaked higher and ran no faster), and 8 bindings each stay well under 65,535 placeholders. */
export const CHUNK_SIZE = 2000;
/** Chunks in a row that add nothing before generation gives up (the space is as good as full). */
const FRUITLESS_CHUNKS = 20;

export interface GenerateOptions {
  /** The batch's creation time. */
  now: Date;
  /** Where the batch's finish time comes from. Default: the system clock. */
  clock?: Clock;
  pick?: PickIndex;
  chunkSize?: number;
  /** After each chunk: codes made so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export interface GeneratedBatch {
  batch: number;
  promotion: number;
  kind: 'code' | 'certificate';
  template: string;
  generated: number;
  /** Draws refused by the unique key (or repeated within a chunk) and drawn again. */
  regenerated: number;
  /** The space and, past 1/10,000 full, the odds of a guess. */
  space: string;
  warning?: string;
}

export async function generateBatch(
  db: Knex,
  batch: ValidBatch,
  options: GenerateOptions,
): Promise<GeneratedBatch> {
  const promotion = await promotionTerms(db, batch.promotion);
  if (!promotion) throw new NotFoundError('promotion', `there is no promotion ${batch.promotion}`);
  const wantedKind = batch.kind === 'code' ? 'discount' : 'certificate';
  if (promotion.kind !== wantedKind)
    throw new ValidationError(`promotion ${batch.promotion}`, [
      `it gives ${promotion.kind === 'discount' ? 'discounts (promo codes)' : 'certificates'}, not ${batch.kind === 'code' ? 'promo codes' : 'certificates'}`,
    ]);
  const taken = await codesOfTemplate(db, batch.template.text, batch.template.alphabet === DIGIT_ALPHABET);
  const space = checkSpace(batch.template, batch.count, taken);
  if (space.refusal) throw new ValidationError(`template '${batch.template.text}'`, [space.refusal]);

  const createdAt = formatDateTime(options.now);
  const id = await insertBatch(db, batchRow(batch, createdAt));
  const pick = options.pick ?? cryptoPick();
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const fill = keyedFiller(batch.template);
  let generated = 0;
  let regenerated = 0;
  let fruitless = 0;
  // One INSERT in flight while the next chunk is drawn: the drawing overlaps the server's work on the last one.
  let inFlight: { rows: NewCodeRow[]; inserted: Promise<number> } | undefined;
  try {
    while (generated < batch.count || inFlight) {
      const need = batch.count - generated - (inFlight?.rows.length ?? 0);
      const next =
        need > 0 ? drawChunk(batch, Math.min(chunkSize, need), fill, pick, id, createdAt) : undefined;
      if (next) regenerated += next.repeated;
      let answered = false;
      if (inFlight) {
        const inserted = await inFlight.inserted;
        regenerated += inFlight.rows.length - inserted;
        generated += inserted;
        fruitless = inserted === 0 ? fruitless + 1 : 0;
        inFlight = undefined;
        answered = true;
      }
      // A space smaller than a chunk can run out of fresh keys: drawing nothing new counts as a fruitless chunk.
      if (next && next.rows.length === 0) fruitless += 1;
      if (fruitless >= FRUITLESS_CHUNKS)
        throw new ConflictError(
          'promotion code batch',
          `batch ${id}: ${FRUITLESS_CHUNKS} chunks in a row collided with existing codes after ${generated} of ` +
            `${batch.count}: the template's space is as good as full; add ? characters`,
        );
      const rows = next?.rows ?? [];
      if (rows.length > 0) {
        const inserted = insertCodesSkippingTaken(db, rows);
        inserted.catch(() => undefined); // awaited on the next turn; handled now so a failure waits for it
        inFlight = { rows, inserted };
      }
      if (answered) {
        await recordProgress(db, id, { generated, regenerated });
        options.onProgress?.(generated, batch.count);
      }
    }
    await finishBatch(db, id, 'complete', formatDateTime((options.clock ?? systemClock).now()));
  } catch (err) {
    await inFlight?.inserted.catch(() => undefined);
    await finishBatch(db, id, 'failed', formatDateTime((options.clock ?? systemClock).now())).catch(
      () => undefined,
    );
    throw err;
  }
  return {
    batch: id,
    promotion: batch.promotion,
    kind: batch.kind,
    template: batch.template.text,
    generated,
    regenerated,
    space: space.space.toString(),
    ...(space.warning ? { warning: space.warning } : {}),
  };
}

/** `count` fresh codes; a key drawn twice within the chunk is drawn again at once. */
function drawChunk(
  batch: ValidBatch,
  count: number,
  fill: ReturnType<typeof keyedFiller>,
  pick: PickIndex,
  id: number,
  createdAt: string,
): { rows: NewCodeRow[]; repeated: number } {
  const keys = new Set<string>();
  const rows: NewCodeRow[] = [];
  let repeated = 0;
  // A space smaller than the chunk (a fixed code, a short template) cannot give `count` distinct keys.
  for (let draws = 0; rows.length < count && draws < count * 4 + 16; draws += 1) {
    const { code, key } = fill(pick);
    if (keys.has(key)) {
      repeated += 1;
      continue;
    }
    keys.add(key);
    rows.push({
      promotion: batch.promotion,
      kind: batch.kind,
      code,
      code_key: key,
      uses_limit: batch.usesLimit,
      created_at: createdAt,
      batch: id,
    });
  }
  return { rows, repeated };
}

function batchRow(batch: ValidBatch, createdAt: string) {
  const amount = batch.amount;
  return {
    promotion: batch.promotion,
    kind: batch.kind,
    template: batch.template.text,
    digits_only: batch.template.alphabet === DIGIT_ALPHABET,
    count: batch.count,
    uses_limit: batch.usesLimit,
    per_client_limit: batch.perClientLimit,
    active_from: batch.activeFrom,
    active_until: batch.activeUntil,
    discount_period_type: batch.discountPeriod?.type ?? null,
    discount_period_length: batch.discountPeriod?.length ?? null,
    amount_kind: amount?.kind ?? null,
    amount_minor: amount?.kind === 'fixed' ? amount.amount.minor.toString() : null,
    currency: amount?.kind === 'fixed' ? amount.amount.currency : null,
    percent: amount?.kind === 'last_payment' ? amount.percent : null,
    funds_period_type: batch.fundsPeriod?.type ?? null,
    funds_period_length: batch.fundsPeriod?.length ?? null,
    status: 'generating' as const,
    created_at: createdAt,
  };
}
