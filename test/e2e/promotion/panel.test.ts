/**
 * The panel function bmp.promotions, run as the panel runs a cgi handler (QUERY_STRING, posted form on stdin), on
 * MariaDB: one XML document with the running promotions and the client's eligibility; bad input is an error
 * document and a non-zero exit. `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml, type XmlNode } from '../../../src/contract/xml';
import { editPromotion } from '../../../src/promotions/promotions';
import { projectPath } from '../../../src/paths';
import { NOW, PromotionWorld } from '../../integration/promotion/world';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';

let throwaway: ThrowawayDb;
let world: PromotionWorld;
let mgrdir: string;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
  mgrdir = mkdtempSync(join(tmpdir(), 'bmp-promotions-'));
});
afterAll(async () => {
  await throwaway.drop();
  rmSync(mgrdir, { recursive: true, force: true });
});

function run(query: string, form = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(projectPath('handlers', 'bmp_promotions'), [], {
    input: form,
    env: {
      PATH: process.env.PATH,
      BMP_DATABASE_URL: throwaway.url,
      BMP_MGRDIR: mgrdir,
      BMP_CONFIG: join(mgrdir, 'absent.json'),
      BMP_LOG: 'stderr',
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: form ? 'POST' : 'GET',
      CONTENT_LENGTH: String(Buffer.byteLength(form)),
      QUERY_STRING: query,
    },
    encoding: 'utf8',
    timeout: 30000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe('bmp.promotions', () => {
  it('lists the running promotions with eligibility, groups and explanations', async () => {
    const running = await world.promotionWith(
      [
        ['client_groups', { groups: '5' }, 'Members'],
        ['service_count', { comparison: 'gt', count: '1' }, 'Members'],
        ['registration_date', { from: '2020-01-01', to: '2030-12-31' }],
      ],
      { clientName: 'Members & friends', startsAt: '2020-01-01' },
    );
    await editPromotion(throwaway.db, running.id, { status: 'active' }, NOW);
    const closed = await world.promotionWith([['none', {}]], {
      startsAt: '2020-01-01',
      endsAt: '2021-01-01',
    });
    await editPromotion(throwaway.db, closed.id, { status: 'active' }, NOW);
    await world.promotionWith([['none', {}]], { startsAt: '2020-01-01' }); // a draft is not offered

    const member = await world.account({ registration_date: '2024-05-01 10:00:00' });
    await throwaway.db('account2group').insert({ account: member, accountgroup: 5 });
    const stranger = await world.account({ registration_date: '2024-05-01 10:00:00' });
    await world.service(stranger);

    const yes = run(`func=bmp.promotions&account_id=${member}`);
    expect(yes.status).toBe(0);
    const doc = (await parseXml(yes.stdout, 'bmp_promotions')) as XmlNode;
    const promotions = list(doc.promotion as XmlNode | XmlNode[]);
    expect(promotions.map((p) => p.$)).toEqual([{ id: String(running.id), eligible: 'yes' }]);
    expect(promotions[0]?.name).toBe('Members & friends');
    expect(list(promotions[0]?.group as XmlNode[]).map((g) => g.$)).toEqual([
      { name: '', required: 'all', passed: 'yes' },
      { name: 'Members', required: 'any', passed: 'yes' },
    ]);
    const conditions = list(promotions[0]?.condition as XmlNode[]);
    expect(conditions.map((c) => [c.$?.type, c.$?.passed, c._])).toEqual([
      ['client_groups', 'yes', 'client groups 5, needs any of 5'],
      ['service_count', 'no', 'services (active, processing or stopped) 0, needs more than 1'],
      [
        'registration_date',
        'yes',
        'registered 2024-05-01, needs 2020-01-01 to 2030-12-31 (both days included)',
      ],
    ]);

    const no = run('func=bmp.promotions', `account_id=${stranger}`);
    expect(no.status).toBe(0);
    const noDoc = (await parseXml(no.stdout, 'bmp_promotions')) as XmlNode;
    expect(list(noDoc.promotion as XmlNode[]).map((p) => p.$?.eligible)).toEqual(['no']);
  });

  it('answers an error document without the account, and for an account that does not exist', async () => {
    const missing = run('func=bmp.promotions');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain('<error type="value" object="promotions request">');
    expect(missing.stdout).toContain("the field 'account_id' must name the client's account (got '')");
    const running = await world.promotionWith([['none', {}]], { startsAt: '2020-01-01' });
    await editPromotion(throwaway.db, running.id, { status: 'active' }, NOW);
    const unknown = run('func=bmp.promotions&account_id=999999');
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toContain('<error type="missed" object="account">');
    expect((await parseXml(unknown.stdout, 'bmp_promotions')).error).toBeDefined();
  });
});
