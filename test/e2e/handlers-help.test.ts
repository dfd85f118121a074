/** Every executable in handlers/ answers --help with its usage and exit 0, touching no database or network. */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { projectPath } from '../../src/paths';

const handlers = readdirSync(projectPath('handlers'));

it('has the handlers the host installs', () => {
  expect(handlers.sort()).toEqual([
    'affiliatemonthly',
    'bmp_account_referral',
    'bmp_order_promocode',
    'bmp_promotion_price',
    'bmp_promotions',
    'bmp_signup',
    'checkevent',
    'counter',
    'pmbillmgr',
    'promotioncron',
  ]);
});

it.each(handlers)('%s --help prints its usage and exits 0 without configuration', async (name) => {
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    // No BMP_* settings and an mgrctl that does not exist: help must need neither.
    const env = { PATH: process.env.PATH ?? '', BMP_MGRCTL: '/nonexistent/mgrctl', BMP_LOG: 'stderr' };
    execFile(projectPath('handlers', name), ['--help'], { env }, (err, out) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: out }),
    );
  });
  expect(code).toBe(0);
  expect(stdout).toMatch(new RegExp(`^${name}: `));
});
