import { createSellingClient } from '../../../src/billmgr-api/client';
import { SellingApiError, SellingError } from '../../../src/billmgr-api/types';
import {
  AUTHINFO,
  PASSWORD,
  SID,
  USERNAME,
  authAnswer,
  doc,
  errorAnswer,
  fakeSelling,
  testClient,
  useNock,
} from './fake-selling';

useNock();

describe('session mode', () => {
  it('authenticates once with func=auth and sends the session id on every later call', async () => {
    const selling = fakeSelling();
    selling.on('auth').reply(200, authAnswer());
    selling.on('vds').times(2).reply(200, doc('<elem><id>1</id></elem>'));
    const { client } = testClient();

    await client.call('vds', { remoteid: 7 });
    await client.call('vds');

    expect(selling.funcs()).toEqual(['auth', 'vds', 'vds']);
    const [auth, first, second] = selling.forms;
    expect(auth?.get('username')).toBe(USERNAME);
    expect(auth?.get('password')).toBe(PASSWORD);
    expect(first?.get('auth')).toBe(SID);
    expect(first?.get('remoteid')).toBe('7');
    expect(second?.get('auth')).toBe(SID);
    for (const form of selling.forms) expect(form.get('out')).toBe('xml');
  });

  it('shares one auth request between calls made before the first answer', async () => {
    const selling = fakeSelling();
    selling.on('auth').delay(20).reply(200, authAnswer());
    selling.on('vds').times(3).reply(200, doc('<ok/>'));
    const { client } = testClient();

    await Promise.all([client.call('vds'), client.call('vds'), client.call('vds')]);

    expect(selling.funcs().filter((func) => func === 'auth')).toHaveLength(1);
  });

  it('authenticates again once when the session expired, and repeats the call with the new session', async () => {
    const selling = fakeSelling();
    selling.on('auth').reply(200, authAnswer('sid-old-0001'));
    selling.on('vds.suspend').reply(200, errorAnswer('auth', 'session', 'session expired'));
    selling.on('auth').reply(200, authAnswer('sid-new-0002'));
    selling.on('vds.suspend').reply(200, doc('<ok/>'));
    const { client } = testClient();

    await expect(client.call('vds.suspend', { elid: 5, sok: 'ok' })).resolves.toHaveProperty('ok');

    expect(selling.funcs()).toEqual(['auth', 'vds.suspend', 'auth', 'vds.suspend']);
    expect(selling.forms[3]?.get('auth')).toBe('sid-new-0002');
    expect(selling.forms[3]?.get('elid')).toBe('5');
  });

  it('gives up with a SellingApiError of type auth when the renewed session is refused too', async () => {
    const selling = fakeSelling();
    selling.on('auth').times(2).reply(200, authAnswer());
    selling
      .on('vds')
      .times(2)
      .reply(200, errorAnswer('auth', 'session', 'no access'));
    selling.on('vds').reply(200, doc('<ok/>')); // a loop would reach this one
    const { client } = testClient();

    const err = await client.call('vds').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SellingApiError);
    expect(err).toMatchObject({ type: 'auth', object: 'session' });
    expect(selling.funcs()).toEqual(['auth', 'vds', 'auth', 'vds']);
  });

  it('reports a refused login as type auth without retrying it or looping', async () => {
    const selling = fakeSelling();
    selling
      .on('auth')
      .times(3)
      .reply(200, errorAnswer('auth', 'badpassword', 'wrong login or password'));
    const { client } = testClient();

    await expect(client.call('vds')).rejects.toMatchObject({
      name: 'SellingApiError',
      type: 'auth',
      object: 'badpassword',
    });
    expect(selling.funcs()).toEqual(['auth']);
  });

  it('asks for a new session on the next call after a failed login', async () => {
    const selling = fakeSelling();
    selling.on('auth').reply(200, errorAnswer('auth', 'badpassword'));
    selling.on('auth').reply(200, authAnswer());
    selling.on('vds').reply(200, doc('<ok/>'));
    const { client } = testClient();

    await expect(client.call('vds')).rejects.toBeInstanceOf(SellingApiError);
    await expect(client.call('vds')).resolves.toHaveProperty('ok');
    expect(selling.funcs()).toEqual(['auth', 'auth', 'vds']);
  });
});

describe('authinfo mode', () => {
  it('sends authinfo=user:pass on each call and never calls func=auth', async () => {
    const selling = fakeSelling();
    selling.on('vds').times(2).reply(200, doc('<ok/>'));
    const { client } = testClient({ mode: 'authinfo' });

    await client.call('vds');
    await client.list('vds');

    expect(selling.funcs()).toEqual(['vds', 'vds']);
    for (const form of selling.forms) {
      expect(form.get('authinfo')).toBe(AUTHINFO);
      expect(form.has('auth')).toBe(false);
    }
  });

  it('does not try to renew anything when the selling side answers type auth', async () => {
    const selling = fakeSelling();
    selling.on('vds').times(2).reply(200, errorAnswer('auth', 'authinfo'));
    const { client } = testClient({ mode: 'authinfo' });

    await expect(client.call('vds')).rejects.toMatchObject({ type: 'auth' });
    expect(selling.funcs()).toEqual(['vds']);
  });
});

describe('createSellingClient', () => {
  it('refuses a url that is not http(s), naming the url setting and not the password', () => {
    const create = () =>
      createSellingClient({
        url: 'selling.test/billmgr',
        username: USERNAME,
        password: PASSWORD,
        timeoutMs: 1000,
        retries: 0,
        maxBackoffMs: 5,
      });

    expect(create).toThrow(SellingError);
    expect(create).toThrow(expect.objectContaining({ type: 'value', object: 'url' }));
  });
});
