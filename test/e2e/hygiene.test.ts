/**
 * stdout belongs to the host in every failure: with a database that cannot be reached, each entry point prints its
 * one document (XML, the CLI's JSON, the counter's CGI answer) and nothing else; the library's warning and the
 * stack trace go to the log. `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXml } from '../../src/contract/xml';
import { projectPath } from '../../src/paths';

let mgrdir: string;

beforeAll(() => {
  mgrdir = mkdtempSync(join(tmpdir(), 'hygiene-e2e-'));
});

afterAll(() => {
  rmSync(mgrdir, { recursive: true, force: true });
});

/** Port 1 on loopback: nothing listens there, so the connection is refused. The password must never show. */
const WRONG_DATABASE = 'mysql://billmgr:db-secret-pw@127.0.0.1:1/billmgr';

function run(path: string[], argv: string[], env: Record<string, string> = {}) {
  const result = spawnSync(projectPath(...path), argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      BMP_MGRDIR: mgrdir,
      BMP_CONFIG: join(mgrdir, 'absent.json'),
      BMP_LOG: 'stderr',
      BMP_MGRCTL: join(mgrdir, 'no-mgrctl'),
      BMP_DATABASE_URL: WRONG_DATABASE,
      ...env,
    },
    timeout: 30000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

async function expectOneXmlDocument(stdout: string): Promise<void> {
  expect(stdout.startsWith('<doc')).toBe(true);
  expect(stdout.indexOf('<doc', 1)).toBe(-1);
  expect(stdout.trimEnd().endsWith('</doc>')).toBe(true);
  await expect(parseXml(stdout, 'handler')).resolves.toBeDefined();
}

describe('a handler with a database it cannot reach', () => {
  it.each([
    ['pmbillmgr', ['--command', 'open', '--item', '1', '--userid', '3']],
    ['checkevent', []],
  ])(
    '%s prints exactly one error document; the warning and stack trace go to the log',
    async (name, argv) => {
      const result = run(['handlers', name], argv);
      expect(result.status).toBe(1);
      const stdout = result.stdout.toString('utf8');
      await expectOneXmlDocument(stdout);
      expect(stdout).toContain('ECONNREFUSED');
      expect(stdout).not.toMatch(/\n\s+at /);
      expect(result.stderr).toContain('Acquire connection error');
      // The log's JSON lines carry the stack trace with its newlines escaped.
      expect(result.stderr).toMatch(/\\n\s+at /);
      expect(stdout + result.stderr).not.toContain('db-secret-pw');
    },
  );
});

describe('the admin CLI with --json and a database it cannot reach', () => {
  it('prints one JSON document on stdout', () => {
    const result = run(['bin', 'billmgr-plugin'], ['--json', 'tariff', 'list']);
    expect(result.status).not.toBe(0);
    const stdout = result.stdout.toString('utf8');
    expect(() => JSON.parse(stdout) as unknown).not.toThrow();
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout + result.stderr).not.toContain('db-secret-pw');
  });
});

describe('the counter with a database it cannot reach', () => {
  it('answers a valid CGI response: headers, a blank line, the GIF, nothing before', () => {
    const result = run(['handlers', 'counter'], [], {
      GATEWAY_INTERFACE: 'CGI/1.1',
      QUERY_STRING: 'rnd=1&project=1&p=https%3A%2F%2Fshop.example%2F%3Ffrom%3D7',
      REMOTE_ADDR: '198.51.100.9',
    });
    expect(result.status).toBe(0);
    const out = result.stdout;
    const end = out.indexOf('\r\n\r\n');
    const head = out.subarray(0, end).toString('latin1');
    expect(head.startsWith('Status: 200 OK\r\n')).toBe(true);
    expect(head).toContain('Content-Type: image/gif');
    const body = out.subarray(end + 4);
    expect(body.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(body.length).toBe(Number(/Content-Length: (\d+)/.exec(head)?.[1]));
    expect(result.stderr).toContain('ECONNREFUSED');
  });
});
