/** A nock stand-in for the selling BILLmanager that records every form it receives. */
import nock from 'nock';
import { createSellingClient } from '../../../src/billmgr-api/client';
import type { SellingClient, SellingClientOptions } from '../../../src/billmgr-api/types';

export const ORIGIN = 'http://selling.test';
export const PATH = '/billmgr';
export const USERNAME = 'reseller';
export const PASSWORD = 'pw-Tr0ub4dor&3';
export const SID = 'sid-9f2c41d7e8';
export const AUTHINFO = `${USERNAME}:${PASSWORD}`;

export const doc = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<doc>${body}</doc>`;
export const authAnswer = (sid = SID): string => doc(`<auth id="${sid}">${sid}</auth>`);
export const errorAnswer = (type: string, object = 'session', msg = 'error'): string =>
  doc(`<error type="${type}" object="${object}"><msg>${msg}</msg></error>`);

export interface FakeSelling {
  /** Every form received, in order (also those answered with a network error). */
  forms: URLSearchParams[];
  funcs(): (string | null)[];
  /** Interceptors for requests with this func; each `.reply` answers one request, in order of definition. */
  on(func: string): nock.Interceptor;
}

export function fakeSelling(): FakeSelling {
  const forms: URLSearchParams[] = [];
  const scope = nock(ORIGIN);
  scope.on('request', (_req: unknown, _interceptor: unknown, body: string) =>
    forms.push(new URLSearchParams(body)),
  );
  return {
    forms,
    funcs: () => forms.map((form) => form.get('func')),
    on: (func) => scope.post(PATH, (body: Record<string, string>) => body.func === func),
  };
}

export interface TestClient {
  client: SellingClient;
  /** Every line the client logged, as `level: message`. */
  logLines: string[];
}

export function testClient(overrides: Partial<SellingClientOptions> = {}): TestClient {
  const logLines: string[] = [];
  const client = createSellingClient({
    url: ORIGIN + PATH,
    username: USERNAME,
    password: PASSWORD,
    timeoutMs: 2000,
    retries: 2,
    maxBackoffMs: 5,
    log: (level, message) => logLines.push(`${level}: ${message}`),
    ...overrides,
  });
  return { client, logLines };
}

/** Jest hooks every file of this folder uses: no real network, no interceptor left behind. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
}
