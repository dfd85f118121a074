/** The affiliate demo walk-through, on SQLite (as `npm run demo` runs it) and on MariaDB: same story, same lines. */
import { runAffiliateDemo } from '../../../src/affiliate/demo';
import { openDatabaseUrl } from '../../../src/db/connect';
import { migrate } from '../../../src/db/migrate';
import { createThrowawayDb } from '../../support/mysql';

async function demoLines(run: (print: (line: string) => void) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  await run((line) => lines.push(line));
  return lines;
}

function expectStory(lines: string[]): void {
  const text = lines.join('\n');
  expect(text).toMatch(/the counter answers a 1x1 GIF and sets visitor [0-9a-f]{8}\.\.\./);
  expect(text).toMatch(/the reader signs up \(account \d+\): bound to partner 1/);
  expect(text).toMatch(/types 'friend2': bound to partner 2/);
  expect(text).toMatch(/types 'FRIEND1': refused \(the client already has a referral/);
  // 10% of 123.45 is 12.35 (12.345 rounded once); the reseller's override is $20: two payments, 32.35 in all.
  expect(text).toMatch(/--date 2026-10-01: pays for 2026-09: 2 payment\(s\) of 32.35 USD in all/);
  expect(text).toMatch(/--date 2026-10-01 again: pays for 2026-09: 0 payment\(s\)$/m);
  expect(text).toMatch(/earned\s+12\.35 USD\s+percent_of_expenses 2026-09/);
  expect(text).toMatch(/applied\s+-20\.00 USD\s+apply 2026-09/);
  expect(text).toMatch(/account \d+ balance: 12\.35 USD/);
  expect(text).toMatch(/Demo Reader via link, active, charged 123\.45 USD/);
}

it('runs on SQLite', async () => {
  const db = openDatabaseUrl('sqlite::memory:');
  try {
    await migrate(db, { hostFixture: true });
    expectStory(await demoLines((print) => runAffiliateDemo(db, print)));
  } finally {
    await db.destroy();
  }
});

it('runs on MariaDB', async () => {
  const throwaway = await createThrowawayDb();
  try {
    expectStory(await demoLines((print) => runAffiliateDemo(throwaway.db, print)));
  } finally {
    await throwaway.drop();
  }
});
