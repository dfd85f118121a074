/** `npm run demo` is the README's first command: it must run the whole lifecycle and say what happened. */
import { execFile } from 'node:child_process';
import { projectPath } from '../../src/paths';

function runDemo(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [projectPath('dist', 'src', 'demo', 'run.js')],
      { timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

it('walks a VPS and an SSL certificate through the reseller lifecycle, then the affiliate month', async () => {
  const { code, stdout, stderr } = await runDemo();

  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(/check_connection: ok/);
  expect(stdout).toMatch(/importing both again changed nothing/);
  expect(stdout).toMatch(/a second open found the order by remoteid: 1 order call\(s\) in all/);
  for (const item of [1, 2]) {
    const states = [...stdout.matchAll(new RegExp(`item ${item}: status (\\d)`, 'g'))].map((m) => m[1]);
    // ordered, then active after the setup event, suspended, active, still active after prolong, deleted
    expect(states).toEqual(['1', '2', '3', '2', '2', '4']);
  }
  expect(stdout).toMatch(/expires 2\d{3}-\d\d-\d\d/);
  expect(stdout).toMatch(/affiliatemonthly --date 2026-10-01 again: pays for 2026-09: 0 payment/);
  expect(stdout).toMatch(/Anna \(account \d+\): eligible\n/);
  expect(stdout).toMatch(/Boris \(account \d+\): not eligible\n/);
  expect(stdout).toContain('expenses over the last month 740.00 RUB, needs more than 1,000.00');
  expect(stdout).toMatch(/audience on 2026-12-02: 1 eligible client\n/);
  // What the promotions give: a code redeemed, the refusals with their reasons, a certificate through the core.
  expect(stdout).toMatch(/Anna types WINTER-\w{4}: redeemed \(redemption \d+, committed\)/);
  expect(stdout).toMatch(
    /Anna types WINTER-\w{4}: refused, already_used: "You have already used this promotion as many times as you can\."/,
  );
  expect(stdout).toMatch(
    /Boris types WINTER-\w{4}: refused, not_eligible: "You are not eligible for this promotion: expenses over the last year 5,740\.00 RUB/,
  );
  expect(stdout).toContain('Boris types WINTER-0000: refused, unknown: "There is no such code');
  expect(stdout).toMatch(/the core credited 1 payment; Boris's balance: 500\.00 RUB/);
  expect(stdout).toMatch(/#\d+ credit 500\.00 RUB \(redemption:\d+, payment \d+, valid until 2027-03-02/);
  // Charged 120.00 within the term, the 380.00 left are taken back by an expense of their own when it ends.
  expect(stdout).toMatch(
    /the certificate's term has ended: 1 credit with funds left, taken back by 1 expense through the core; Boris's balance: 0\.00 RUB/,
  );
  expect(stdout).toMatch(/#\d+ expiry -380\.00 RUB \(credit:\d+\)/);
  expect(stdout).toMatch(/promotion ledger of Boris:[\s\S]*balance: 120\.00 RUB/);
  expect(stdout).not.toMatch(/reseller-secret/);
  expect(stdout.trim().split('\n').pop()).toBe('== Demo finished');
  // As long as the run itself may take (execFile's timeout): on a busy 2-core machine the demo needs over 60 s.
}, 120_000);
