/** `billmgr-plugin promotion code|certificate|redeem|uses|ledger` as an admin or a panel handler runs them. */
import { PromotionWorld } from '../../integration/promotion/codes-world';
import { runCli, type CliResult } from '../../support/cli';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: PromotionWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

function cli(...args: string[]): CliResult {
  return runCli(throwaway.url, ['promotion', ...args], { timeoutMs: 60000 });
}

describe('billmgr-plugin promotion code', () => {
  it('generates, lists, exports (CSV and JSON) and revokes codes; progress and warnings on stderr only', async () => {
    const promotion = String(await world.promotion());
    const made = cli(
      'code',
      'generate',
      '--promotion',
      promotion,
      '--template',
      'Win-????',
      '--count',
      '200',
      '--uses-limit',
      '1',
    );
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(
      /^batch \d+: 200 codes of 'Win-\?\?\?\?' for promotion \d+ \(\d+ drawn again after a collision; 923521 possible codes\)\n/,
    );
    expect(made.stderr).toMatch(/codes .*200\/200/);
    expect(made.stderr).toMatch(/warning: .*one guess in 4617 finds a code/);

    const generated = cli(
      '--json',
      'code',
      'generate',
      '--promotion',
      promotion,
      '--template',
      'J-????????',
      '--count',
      '3',
      '--digits-only',
    );
    expect(generated.stderr).toBe('');
    const batch = (JSON.parse(generated.stdout) as { batch: number; generated: number }).batch;

    const csv = cli('code', 'export', '--promotion', promotion);
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(204);
    expect(lines.filter((l) => /^J-\d{8},code,/.test(l))).toHaveLength(3);

    const exported = JSON.parse(cli('--json', 'code', 'export', '--batch', String(batch)).stdout) as {
      code: string;
    }[];
    expect(exported.map((c) => c.code)).toEqual(
      lines.filter((l) => l.startsWith('J-')).map((l) => l.split(',')[0]),
    );

    const listed = cli('code', 'list', '--promotion', promotion, '--batch', String(batch));
    expect(listed.stdout).toMatch(
      new RegExp(`^batch ${batch} 'J-\\?{8}' digits only: 3/3 complete, uses unlimited each\\n`),
    );
    const revoked = cli('--json', 'code', 'revoke', exported[0]?.code.toLowerCase() ?? '');
    expect(JSON.parse(revoked.stdout)).toEqual({ revoked: 1 });
  });

  it('refuses what cannot be generated with every problem, as JSON with --json, exit 1', async () => {
    const promotion = String(await world.promotion());
    const tooSmall = cli(
      '--json',
      'code',
      'generate',
      '--promotion',
      promotion,
      '--template',
      'X?',
      '--count',
      '40',
    );
    expect(tooSmall.status).toBe(1);
    expect(JSON.parse(tooSmall.stdout)).toEqual({
      error:
        "template 'X?' is invalid: the template 'X?' makes 31 different codes: it cannot hold 40 more (room for 31); add ? characters",
      problems: [
        "the template 'X?' makes 31 different codes: it cannot hold 40 more (room for 31); add ? characters",
      ],
    });
    const bad = cli(
      'code',
      'generate',
      '--promotion',
      promotion,
      '--template',
      'A B',
      '--count',
      '1',
      '--from',
      '2026-13-01',
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/template may hold only.*the start '2026-13-01' is not a date/);
    const period = cli(
      'code',
      'generate',
      '--promotion',
      promotion,
      '--template',
      'A?',
      '--count',
      '1',
      '--discount-period',
      '2 months',
    );
    expect(period.status).toBe(1);
    expect(period.stderr).toMatch(/'2 months' is not a period: write <day\|month\|year>:<length>/);
  });
});

describe('billmgr-plugin promotion certificate and redeem', () => {
  it('generates digits-only certificates of a percentage, and refuses an amount without its currency', async () => {
    const promotion = String(await world.promotion({ kind: 'certificate' }));
    const made = cli(
      '--json',
      'certificate',
      'generate',
      '--promotion',
      promotion,
      '--template',
      'GIFT-????????',
      '--count',
      '5',
      '--percent',
      '10',
      '--valid-for',
      'month:6',
    );
    expect(made.status).toBe(0);
    const batch = (JSON.parse(made.stdout) as { batch: number }).batch;
    const listed = cli('certificate', 'list', '--promotion', promotion);
    expect(listed.stdout).toMatch(
      new RegExp(
        `batch ${batch} 'GIFT-\\?{8}' digits only: 5/5 complete, uses unlimited each, 10% of the last payment, funds valid 6 month`,
      ),
    );
    const noCurrency = cli(
      'certificate',
      'generate',
      '--promotion',
      promotion,
      '--template',
      'G????',
      '--count',
      '1',
      '--amount',
      '5',
    );
    expect(noCurrency.status).toBe(1);
    expect(noCurrency.stderr).toMatch(/give either --amount with --currency, or --percent/);
  });

  it('prints a refusal in the client words and exits 2; a code of a promotion the client is eligible for is redeemed', async () => {
    const account = String(await world.account());
    const unknown = cli('--json', 'redeem', '--account', account, '--code', 'nothing-like-it');
    expect(unknown.status).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({
      redeemed: false,
      replayed: false,
      refusal: { reason: 'unknown', message: 'There is no such code: check how it is typed.' },
    });
    const promotion = String(await world.promotion());
    const code = (
      JSON.parse(
        cli(
          '--json',
          'code',
          'generate',
          '--promotion',
          promotion,
          '--template',
          'E-????????',
          '--count',
          '1',
        ).stdout,
      ) as { batch: number }
    ).batch;
    const [text = ''] = (await throwaway
      .db('bmp_promotion_code')
      .where({ batch: code })
      .pluck('code')) as string[];
    // The promotion has no conditions: Promotions I's single-client check lets every client take part.
    const redeemed = cli('--json', 'redeem', '--account', account, '--code', text);
    expect(redeemed.stderr).toBe('');
    expect(redeemed.status).toBe(0);
    expect(JSON.parse(redeemed.stdout)).toMatchObject({ redeemed: true, replayed: false });
    expect(JSON.parse(cli('--json', 'uses', '--account', account).stdout)).toHaveLength(1);
  });
});
