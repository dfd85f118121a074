import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import nock from 'nock';
import { createSellingClient } from '../../../src/billmgr-api/client';
import { SellingApiError, SellingHttpError, SellingNetworkError } from '../../../src/billmgr-api/types';
import { USERNAME, PASSWORD, doc, errorAnswer, fakeSelling, testClient, useNock } from './fake-selling';

useNock();

const authinfo = { mode: 'authinfo' as const };

describe('HTTP failures', () => {
  it('repeats a safe call after HTTP 500 and returns the answer that follows', async () => {
    const selling = fakeSelling();
    selling.on('vds').reply(500, 'oops');
    selling.on('vds').reply(200, doc('<elem><id>1</id></elem>'));
    const { client } = testClient(authinfo);

    await expect(client.list('vds')).resolves.toHaveLength(1);
    expect(selling.funcs()).toEqual(['vds', 'vds']);
  });

  it('stops after retries + 1 attempts when the selling side keeps answering 503', async () => {
    const selling = fakeSelling();
    selling.on('vds').times(10).reply(503, 'unavailable');
    const { client, logLines } = testClient({ ...authinfo, retries: 3 });

    const err = await client.list('vds').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SellingHttpError);
    expect(err).toMatchObject({ status: 503, object: 'vds' });
    expect(selling.forms).toHaveLength(4);
    expect(logLines.filter((line) => line.startsWith('warn:'))).toHaveLength(3);
  });

  it('makes a single attempt when retries is 0', async () => {
    const selling = fakeSelling();
    selling.on('vds').times(3).reply(503, 'unavailable');
    const { client } = testClient({ ...authinfo, retries: 0 });

    await expect(client.list('vds')).rejects.toMatchObject({ status: 503 });
    expect(selling.forms).toHaveLength(1);
  });

  it('does not repeat a call answered 400', async () => {
    const selling = fakeSelling();
    selling.on('vds').times(3).reply(400, 'bad request');
    const { client } = testClient(authinfo);

    await expect(client.list('vds')).rejects.toMatchObject({ name: 'SellingHttpError', status: 400 });
    expect(selling.forms).toHaveLength(1);
  });

  it('repeats a safe call answered 408', async () => {
    const selling = fakeSelling();
    selling.on('vds').reply(408, '');
    selling.on('vds').reply(200, doc(''));
    const { client } = testClient(authinfo);

    await expect(client.list('vds')).resolves.toEqual([]);
    expect(selling.forms).toHaveLength(2);
  });

  it('waits as long as a 429 Retry-After asks, up to maxBackoffMs', async () => {
    const selling = fakeSelling();
    selling.on('vds').reply(429, 'slow down', { 'Retry-After': '1' });
    selling.on('vds').reply(200, doc(''));
    const { client, logLines } = testClient({ ...authinfo, maxBackoffMs: 250 });

    const started = Date.now();
    await client.list('vds');

    // Exponential back-off alone would wait 100 ms; Retry-After (1 s) capped at 250 ms wins.
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(logLines).toContainEqual(expect.stringMatching(/^warn: .*HTTP 429.*retrying in 250 ms/));
  });

  it('does not repeat an unsafe call answered 502', async () => {
    const selling = fakeSelling();
    selling.on('vds.order.param').times(2).reply(502, 'bad gateway');
    const { client } = testClient(authinfo);

    await expect(client.call('vds.order.param', { pricelist: 11 })).rejects.toMatchObject({ status: 502 });
    expect(selling.forms).toHaveLength(1);
  });

  it('does not repeat a call answered with an error document', async () => {
    const selling = fakeSelling();
    selling.on('vds').times(2).reply(200, errorAnswer('access', 'vds'));
    const { client } = testClient(authinfo);

    await expect(client.list('vds')).rejects.toBeInstanceOf(SellingApiError);
    expect(selling.forms).toHaveLength(1);
  });
});

describe('network failures', () => {
  it('repeats a safe call after a connection reset', async () => {
    const selling = fakeSelling();
    selling.on('vds').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    selling.on('vds').reply(200, doc('<elem><id>3</id></elem>'));
    const { client } = testClient(authinfo);

    await expect(client.list('vds')).resolves.toHaveLength(1);
    expect(selling.forms).toHaveLength(2);
  });

  it('does not repeat an order after a connection reset: it may have been placed', async () => {
    const selling = fakeSelling();
    selling.on('vds.order.param').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    selling.on('vds.order.param').reply(200, doc('<ok/><id>99</id>'));
    const { client } = testClient(authinfo);

    const err = await client.call('vds.order.param', { pricelist: 11, sok: 'ok' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SellingNetworkError);
    expect(err).toMatchObject({ code: 'ECONNRESET', object: 'vds.order.param' });
    expect(selling.forms).toHaveLength(1);
  });

  it('gives up a safe call after retries + 1 resets', async () => {
    const selling = fakeSelling();
    selling.on('vds').times(5).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const { client } = testClient({ ...authinfo, retries: 2 });

    await expect(client.list('vds')).rejects.toMatchObject({
      name: 'SellingNetworkError',
      code: 'ECONNRESET',
    });
    expect(selling.forms).toHaveLength(3);
  });

  it('fails with ETIMEDOUT when the answer takes longer than timeoutMs', async () => {
    const selling = fakeSelling();
    selling.on('vds').delay(1000).reply(200, doc(''));
    const { client } = testClient({ ...authinfo, timeoutMs: 50, retries: 0 });

    const started = Date.now();
    const err = await client.list('vds').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SellingNetworkError);
    expect(err).toMatchObject({ code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('repeats a safe call that timed out', async () => {
    const selling = fakeSelling();
    selling.on('vds').delay(1000).reply(200, doc(''));
    selling.on('vds').reply(200, doc('<elem><id>1</id></elem>'));
    const { client } = testClient({ ...authinfo, timeoutMs: 50 });

    await expect(client.list('vds')).resolves.toHaveLength(1);
  });

  describe('against real local sockets', () => {
    beforeAll(() => nock.enableNetConnect('127.0.0.1'));

    it('fails with ECONNREFUSED after its retries', async () => {
      const port = await closedPort();
      const lines: string[] = [];
      const client = createSellingClient({
        url: `http://127.0.0.1:${port}/billmgr`,
        username: USERNAME,
        password: PASSWORD,
        mode: 'authinfo',
        timeoutMs: 2000,
        retries: 2,
        maxBackoffMs: 5,
        log: (level, message) => lines.push(`${level}: ${message}`),
      });

      await expect(client.list('vds')).rejects.toMatchObject({
        name: 'SellingNetworkError',
        code: 'ECONNREFUSED',
      });
      expect(lines.filter((line) => line.startsWith('warn:'))).toHaveLength(2);
    });

    it('fails with ETIMEDOUT when the answer starts but never ends within timeoutMs', async () => {
      const server = await trickleServer();
      try {
        const { port } = server.address() as { port: number };
        const client = createSellingClient({
          url: `http://127.0.0.1:${port}/billmgr`,
          username: USERNAME,
          password: PASSWORD,
          mode: 'authinfo',
          timeoutMs: 300,
          retries: 0,
          maxBackoffMs: 5,
        });

        await expect(client.list('vds')).rejects.toMatchObject({
          name: 'SellingNetworkError',
          code: 'ETIMEDOUT',
        });
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});

/** A port nothing listens on: bound by us a moment ago, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A server that sends the headers and then one byte every 100 ms, for ever: no socket idle timeout ever trips. */
async function trickleServer(): Promise<Server> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.write('<doc>');
    const timer = setInterval(() => res.write(' '), 100);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
