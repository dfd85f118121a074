/** Plain-fetch access to a running sandbox, the way any HTTP client would talk to a selling panel. */
import { parseXml, type XmlNode } from '../../../src/contract/xml';

export type Params = Record<string, string | number>;

export interface Answer {
  status: number;
  text: string;
  doc: XmlNode;
}

/** POSTs a form to /billmgr with out=xml and parses the answer. */
export async function call(url: string, params: Params, init: RequestInit = {}): Promise<Answer> {
  const body = new URLSearchParams({
    out: 'xml',
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  const res = await fetch(url, { method: 'POST', body, ...init });
  const text = await res.text();
  return { status: res.status, text, doc: res.ok ? await parseXml(text, 'sandbox') : {} };
}

/** Same call as a GET query string. */
export async function get(url: string, params: Params): Promise<Answer> {
  const query = new URLSearchParams({
    out: 'xml',
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  const res = await fetch(`${url}?${query}`);
  const text = await res.text();
  return { status: res.status, text, doc: await parseXml(text, 'sandbox') };
}

export async function login(
  url: string,
  username = 'reseller',
  password = 'reseller-secret',
): Promise<string> {
  const { doc } = await call(url, { func: 'auth', username, password });
  const auth = doc.auth as XmlNode;
  return auth.$?.id ?? '';
}

/** The `<error>` of an answer as {type, object, msg}, or undefined. */
export function errorOf(doc: XmlNode): { type?: string; object?: string; msg?: string } | undefined {
  const error = doc.error as XmlNode | undefined;
  if (!error) return undefined;
  return { type: error.$?.type, object: error.$?.object, msg: String(error.msg ?? '') };
}

/** A list answer's `<elem>`s, always an array. */
export function elems(doc: XmlNode): XmlNode[] {
  const elem = doc.elem as XmlNode | XmlNode[] | undefined;
  return elem === undefined ? [] : Array.isArray(elem) ? elem : [elem];
}
