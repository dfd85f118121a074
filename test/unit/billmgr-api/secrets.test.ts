import { inspect } from 'node:util';
import {
  AUTHINFO,
  PASSWORD,
  SID,
  authAnswer,
  doc,
  errorAnswer,
  fakeSelling,
  testClient,
  useNock,
} from './fake-selling';

useNock();

const xmlPassword = PASSWORD.replace(/&/g, '&amp;');
const SECRETS = [PASSWORD, SID, AUTHINFO, encodeURIComponent(PASSWORD), encodeURIComponent(AUTHINFO)];

/** Everything an error shows: message, name, own properties (axios errors carry config, URL and body), cause. */
function everythingIn(err: unknown): string {
  return `${String(err)}\n${inspect(err, { depth: 6, showHidden: true })}`;
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('secrets never reach a log line or an error', () => {
  it('in session mode, across auth, retries, re-auth and every kind of failure', async () => {
    const selling = fakeSelling();
    selling.on('auth').reply(200, authAnswer());
    selling.on('vds').reply(503, 'busy');
    selling
      .on('vds')
      .replyWithError({ code: 'ECONNRESET', message: `reset while sending password=${PASSWORD}` });
    selling.on('vds').reply(200, errorAnswer('auth', 'session', 'expired'));
    selling.on('auth').reply(200, authAnswer());
    selling.on('vds').reply(200, doc('<elem><id>1</id></elem>'));
    selling.on('vds.order.param').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    selling.on('vds.edit').reply(400, `bad request auth=${SID}`);
    selling.on('vds.suspend').reply(200, `<doc><broken auth="${SID}">`);
    selling
      .on('vds.resume')
      .reply(
        200,
        doc(
          `<error type="value" object="password"><param name="value">${xmlPassword}</param><msg>password ${xmlPassword} is weak, session ${SID}</msg></error>`,
        ),
      );
    const { client, logLines } = testClient();

    await expect(client.list('vds')).resolves.toHaveLength(1);
    const errors = await Promise.all([
      client.call('vds.order.param').catch((e: unknown) => e),
      client.call('vds.edit', { password: PASSWORD }).catch((e: unknown) => e),
      client.call('vds.suspend').catch((e: unknown) => e),
      client.call('vds.resume').catch((e: unknown) => e),
    ]);

    expect(errors.map((err) => (err as Error).name)).toEqual([
      'SellingNetworkError',
      'SellingHttpError',
      'SellingXmlError',
      'SellingApiError',
    ]);
    expect(selling.forms.some((form) => form.get('auth') === SID)).toBe(true); // the secrets were really in play
    for (const err of errors) expectNoSecret(everythingIn(err));
    expect(logLines.length).toBeGreaterThanOrEqual(8);
    expect(logLines.some((line) => line.startsWith('warn:'))).toBe(true);
    for (const line of logLines) expectNoSecret(line);
  });

  it('in authinfo mode, on a timeout and on a network error', async () => {
    const selling = fakeSelling();
    selling.on('vds').delay(1000).reply(200, doc(''));
    selling.on('vds').replyWithError({ code: 'ECONNREFUSED', message: `connect refused for ${AUTHINFO}` });
    const { client, logLines } = testClient({ mode: 'authinfo', timeoutMs: 50, retries: 1 });

    const err = await client.list('vds').catch((e: unknown) => e);

    expect(err).toMatchObject({ name: 'SellingNetworkError', code: 'ECONNREFUSED' });
    expect(selling.forms[0]?.get('authinfo')).toBe(AUTHINFO);
    expectNoSecret(everythingIn(err));
    for (const line of logLines) expectNoSecret(line);
  });

  it('one debug line per call names the func, the time taken and the attempt', async () => {
    const selling = fakeSelling();
    selling.on('auth').reply(200, authAnswer());
    selling.on('vds').reply(500, '');
    selling.on('vds').reply(200, doc(''));
    const { client, logLines } = testClient();

    await client.list('vds');

    expect(logLines.filter((line) => line.startsWith('debug:'))).toEqual([
      expect.stringMatching(/^debug: selling auth: ok in \d+ ms, attempt 1$/),
      expect.stringMatching(/^debug: selling vds: ok in \d+ ms, attempt 2$/),
    ]);
    expect(logLines.filter((line) => line.startsWith('warn:'))).toEqual([
      expect.stringMatching(/^warn: selling vds: attempt 1 failed \(HTTP 500\), retrying in \d+ ms$/),
    ]);
  });
});
