/**
 * Promo codes at scale and under contention, on MariaDB (issue 15).
 *
 * - `promotion_redeem_over_limit_50_concurrent`: 50 processes, one per account, each sending two redemptions of
 *   one code at once (the code's limit 10, one use per client): the redemptions above any limit (target 0), and
 *   beside it the requests answered per second from the moment all 50 processes, connected and warmed up on a
 *   code that does not exist, are told to go, until the last has exited. The eligibility check is not what is
 *   measured: every client is eligible.
 * - `promotion_codes_1m_ratio_to_insert`: generating 1,000,000 unique codes (space check, random draws, chunked
 *   INSERT IGNORE, collisions drawn again, progress) against inserting 1,000,000 random rows computed
 *   beforehand into the same, emptied, table with plain multi-row INSERTs of the same chunk size (target at
 *   most 1.5); each side runs twice in its own process, the better time counts. Memory, flat (two chunks in
 *   memory, the one in flight and the next): the heap the generator retains, sampled at every tenth of the
 *   count, at 100,000 and at 1,000,000 codes (target: 10 times the codes, at most 1.2 times the heap), the higher
 *   of two runs each; beside it the peak RSS, which also holds the garbage V8 lets pile up in a long run.
 */
import { spawn } from 'node:child_process';
import knex, { type Knex } from 'knex';
import { knexConfigFromUrl } from '../../src/db/connect';
import { migrate } from '../../src/db/migrate';
import type { Figure } from '../figure';
import {
  childJson,
  memoryFigures,
  RETAINED_HEAP_FLAGS,
  retainedHeapSampler,
  round,
  throwawayDatabase,
} from '../support';

export const REDEEMERS = 50;
export const CODE_LIMIT = 10;
export const BIG = 1_000_000;
export const SMALL = 100_000;
const TEMPLATE = 'BENCH-??????????';

export async function measure(): Promise<Figure[]> {
  const server = process.env.TEST_MYSQL_URL;
  if (!server) throw new Error('TEST_MYSQL_URL is not set: run through `npm run bench`');
  const { url, drop } = await throwawayDatabase(server);
  try {
    const db = knex(knexConfigFromUrl(url));
    try {
      await migrate(db, { hostFixture: true });
      const contention = await redeemUnderContention(db, url);
      const generation = await generationAgainstInsert(db, url);
      return [...contention, ...generation];
    } finally {
      await db.destroy();
    }
  } finally {
    await drop();
  }
}

async function redeemUnderContention(db: Knex, url: string): Promise<Figure[]> {
  await db.raw(
    `INSERT INTO currency (id, name, iso, code, active) VALUES (1, 'US dollar', 'USD', 840, 'on')`,
  );
  await db.raw(
    `INSERT INTO account (id, project, name, balance, currency)
     SELECT seq, 1, CONCAT('Client ', seq), 0, 1 FROM seq_1_to_${REDEEMERS}`,
  );
  const [promotion] = (await db('bmp_promotion').insert({
    project: 1,
    internal_name: 'bench contention',
    client_name: 'Bench',
    kind: 'discount',
    status: 'active',
    created_at: '2026-12-01 00:00:00',
  })) as number[];
  const { validateCodeBatch } = await import('../../src/domain/promotion/codes/batch');
  const { generateBatch } = await import('../../src/promotions/codes/generate');
  const batch = validateCodeBatch({
    promotion: Number(promotion),
    template: 'RUSH-????????',
    digitsOnly: false,
    count: 1,
    usesLimit: CODE_LIMIT,
    perClientLimit: 1,
  });
  const { batch: batchId } = await generateBatch(db, batch, { now: new Date() });
  const code = ((await db('bmp_promotion_code').where({ batch: batchId }).first('code')) as { code: string })
    .code;

  const children = Array.from({ length: REDEEMERS }, (_, i) => startRedeemer(url, code, i + 1));
  await Promise.all(children.map((c) => c.ready));
  const started = process.hrtime.bigint();
  for (const c of children) c.go();
  const results = await Promise.all(children.map((c) => c.done));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const uses = Number(
    ((await db('bmp_promotion_code').where({ batch: batchId }).first('uses')) as { uses: number }).uses,
  );
  const perAccount = (await db('bmp_promotion_redemption')
    .where({ promotion: Number(promotion) })
    .whereNot({ status: 'released' })
    .groupBy('account')
    .select('account')
    .count({ n: '*' })) as { n: number | string }[];
  const redeemed = perAccount.reduce((s, r) => s + Number(r.n), 0);
  const overAccount = perAccount.reduce((s, r) => s + Math.max(0, Number(r.n) - 1), 0);
  const over = Math.max(0, redeemed - CODE_LIMIT) + overAccount + Math.max(0, uses - CODE_LIMIT);
  const answered = results.reduce((s, r) => s + r.answers, 0);
  if (answered !== REDEEMERS * 2)
    throw new Error(`${answered} of ${REDEEMERS * 2} redemptions were answered`);
  return [
    { name: 'promotion_redeem_over_limit_50_concurrent', value: over, unit: 'redemptions', target: 0 },
    { name: 'promotion_redeem_50_concurrent_redeemed', value: redeemed, unit: 'redemptions' },
    {
      name: 'promotion_redeem_50_concurrent_requests_per_second',
      value: round(answered / seconds, 1),
      unit: 'requests/s',
    },
  ];
}

async function generationAgainstInsert(db: Knex, url: string): Promise<Figure[]> {
  const [promotion] = (await db('bmp_promotion').insert({
    project: 1,
    internal_name: 'bench generation',
    client_name: 'Bench',
    kind: 'discount',
    status: 'active',
    created_at: '2026-12-01 00:00:00',
  })) as number[];
  const empty = async (): Promise<void> => {
    await db.raw('TRUNCATE TABLE bmp_promotion_code');
    await db.raw('TRUNCATE TABLE bmp_promotion_code_batch');
  };
  const run = async (mode: 'generate' | 'insert', count: number): Promise<ChildResult> => {
    await empty();
    return runChild([mode, url, String(promotion), String(count)]);
  };
  const small = [await run('generate', SMALL)];
  const inserts = [await run('insert', BIG)];
  const generations = [await run('generate', BIG)];
  inserts.push(await run('insert', BIG));
  generations.push(await run('generate', BIG));
  small.push(await run('generate', SMALL));
  await empty();
  const insertMs = Math.min(...inserts.map((r) => r.ms));
  const generateMs = Math.min(...generations.map((r) => r.ms));
  const memory = {
    bigRssMb: Math.max(...generations.map((r) => r.maxRssKb)) / 1024,
    smallRssMb: Math.max(...small.map((r) => r.maxRssKb)) / 1024,
    bigHeapMb: Math.max(...generations.map((r) => r.retainedHeapMb ?? Number.NaN)),
    smallHeapMb: Math.max(...small.map((r) => r.retainedHeapMb ?? Number.NaN)),
  };
  return [
    {
      name: 'promotion_codes_1m_ratio_to_insert',
      value: round(generateMs / insertMs, 2),
      unit: 'ratio',
      target: 1.5,
    },
    { name: 'promotion_codes_1m_generate_ms', value: round(generateMs, 0), unit: 'ms' },
    { name: 'promotion_codes_1m_insert_precomputed_ms', value: round(insertMs, 0), unit: 'ms' },
    ...memoryFigures('promotion_codes_generate', { small: '100k', big: '1m', rows: 'codes' }, memory),
  ];
}

interface ChildResult {
  ms: number;
  maxRssKb: number;
  rows: number;
  /** Generation only. */
  retainedHeapMb?: number;
}

async function runChild(args: readonly string[]): Promise<ChildResult> {
  const flags = args[0] === 'generate' ? RETAINED_HEAP_FLAGS : [];
  const result = await childJson<ChildResult>(__filename, args, args[0] ?? 'codes', flags);
  const wanted = Number(args[3]);
  if (result.rows !== wanted) throw new Error(`${args[0]} made ${result.rows} rows, not ${wanted}`);
  return result;
}

interface Redeemer {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ answers: number }>;
}

/** A redeemer process: connects, says `ready`, and on `go` sends its account's two redemptions at once. */
function startRedeemer(url: string, code: string, account: number): Redeemer {
  const child = spawn(process.execPath, [__filename, '--child', 'redeem', url, code, String(account)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<{ answers: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0)
        return reject(new Error(`redeemer ${account} failed (${status}): ${err.trim().slice(0, 400)}`));
      resolve(JSON.parse(out.slice('ready\n'.length)) as { answers: number });
    });
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
}

async function child(mode: string, args: readonly string[]): Promise<void> {
  const [url = '', ...rest] = args;
  const db = knex({ ...knexConfigFromUrl(url), pool: { min: 1, max: 4 } });
  try {
    if (mode === 'redeem') return await redeemChild(db, rest[0] ?? '', Number(rest[1]));
    const promotion = Number(rest[0]);
    const count = Number(rest[1]);
    const result =
      mode === 'generate'
        ? await generateChild(db, promotion, count)
        : await insertChild(db, promotion, count);
    process.stdout.write(JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS }));
  } finally {
    await db.destroy();
  }
}

async function redeemChild(db: Knex, code: string, account: number): Promise<void> {
  const { redeem } = await import('../../src/promotions/redemption/redeem');
  const ports = {
    now: new Date(),
    eligibility: async () => ({ eligible: true }),
    credit: async () => {
      throw new Error('a promo code credits nothing');
    },
  };
  // Warm the process (connections, the code paths of a redemption) on a code that does not exist, for an account
  // of no one: the figure is about redeemers at once, not about 50 cold Node processes starting.
  await redeem(db, { account: 1_000_000 + account, code: 'WARM-UP-NO-SUCH-CODE' }, ports);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    process.stdin.on('data', () => resolve());
    process.stdin.on('end', () => resolve());
  });
  const answers = await Promise.all(
    [1, 2].map((n) => redeem(db, { account, code, key: `bench-${account}-${n}` }, ports)),
  );
  process.stdout.write(JSON.stringify({ answers: answers.length }));
}

async function generateChild(
  db: Knex,
  promotion: number,
  count: number,
): Promise<{ ms: number; rows: number; retainedHeapMb: number }> {
  const { validateCodeBatch } = await import('../../src/domain/promotion/codes/batch');
  const { generateBatch } = await import('../../src/promotions/codes/generate');
  const batch = validateCodeBatch({ promotion, template: TEMPLATE, digitsOnly: false, count });
  const heap = retainedHeapSampler();
  let nextSample = count / 10;
  const started = process.hrtime.bigint();
  const result = await generateBatch(db, batch, {
    now: new Date(),
    // Called while the next chunk is in flight: what a sample sees is the generator at work.
    onProgress: (done) => {
      if (done < nextSample) return;
      heap.sample();
      nextSample += count / 10;
    },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6 - heap.ms;
  return { ms, rows: result.generated, retainedHeapMb: heap.maxMb };
}

/** The floor: the same rows, drawn beforehand, inserted by plain multi-row INSERTs of the generator's chunk size. */
async function insertChild(
  db: Knex,
  promotion: number,
  count: number,
): Promise<{ ms: number; rows: number }> {
  const { cryptoPick } = await import('../../src/domain/promotion/codes/random');
  const { codeKey, fillTemplate, parseTemplate } = await import('../../src/domain/promotion/codes/template');
  const { CHUNK_SIZE } = await import('../../src/promotions/codes/generate');
  const template = parseTemplate(TEMPLATE, { digitsOnly: false });
  const pick = cryptoPick();
  const codes: string[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  while (codes.length < count) {
    const code = fillTemplate(template, pick);
    const key = codeKey(code);
    if (seen.has(key)) continue;
    seen.add(key);
    codes.push(code);
    keys.push(key);
  }
  seen.clear();
  const [batch] = (await db('bmp_promotion_code_batch').insert({
    promotion,
    kind: 'code',
    template: TEMPLATE,
    digits_only: false,
    count,
    status: 'complete',
    created_at: '2026-12-01 00:00:00',
  })) as number[];
  const createdAt = '2026-12-01 00:00:00';
  const placeholders = '(?, ?, ?, ?, ?, ?, ?, ?)';
  const started = process.hrtime.bigint();
  for (let at = 0; at < codes.length; at += CHUNK_SIZE) {
    const chunk = codes.slice(at, at + CHUNK_SIZE);
    const bindings: Knex.RawBinding[] = [];
    for (const code of chunk)
      bindings.push(promotion, 'code', code, codeKey(code), null, 0, createdAt, Number(batch));
    await db.raw(
      `INSERT INTO bmp_promotion_code (promotion, kind, code, code_key, uses_limit, uses, created_at, batch)
       VALUES ${chunk.map(() => placeholders).join(', ')}`,
      bindings,
    );
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, rows: codes.length };
}

if (require.main === module && process.argv[2] === '--child') {
  void child(process.argv[3] ?? '', process.argv.slice(4)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
