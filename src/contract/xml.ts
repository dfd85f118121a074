/** The one XML builder and parser: host documents out, host and selling-side documents in. */
import { Builder, parseStringPromise } from 'xml2js';
import { HostError } from './errors';

/** A parsed XML node as xml2js gives it with explicitArray off: attributes under `$`, text under `_`. */
export type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };

const builder = new Builder({ headless: true, rootName: 'doc', renderOpts: { pretty: true, indent: '  ', newline: '\n' } });

/** Builds `<doc>...</doc>` from an xml2js-shaped object. */
export function buildDoc(body: Record<string, unknown> = {}): string {
  return builder.buildObject(body) + '\n';
}

/** Builds the host's error document: `<doc><error type= object=><param name=>..</param><msg>..</msg></error></doc>`. */
export function errorDoc(err: HostError): string {
  const params = Object.entries(err.params).map(([name, value]) => ({ $: { name }, _: value }));
  return buildDoc({
    error: { $: { type: err.type, object: err.object }, ...(params.length ? { param: params } : {}), msg: err.message },
  });
}

/** Parses an XML document; malformed input is a HostError that names its source. */
export async function parseXml(text: string, source: string): Promise<XmlNode> {
  let parsed: unknown;
  try {
    parsed = await parseStringPromise(text, { explicitArray: false, explicitRoot: true, trim: true });
  } catch (err) {
    throw new HostError('xml', source, `malformed XML from ${source}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || typeof parsed !== 'object' || !('doc' in parsed)) {
    throw new HostError('xml', source, `answer from ${source} is not a <doc> document`);
  }
  const doc = (parsed as { doc: unknown }).doc;
  return typeof doc === 'object' && doc !== null ? (doc as XmlNode) : { _: String(doc ?? '') };
}

/** xml2js gives one child as an object and several as an array: always get an array. */
export function asList<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of a child node, whether xml2js gave a string or `{ _: text, $: attrs }`. */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && '_' in value) return String((value as XmlNode)._ ?? '');
  if (typeof value === 'object') return '';
  return String(value);
}

/** Reads `<error type object><msg/></error>` from a parsed doc, if there is one. */
export function errorOf(doc: XmlNode): HostError | undefined {
  const error = doc.error as XmlNode | string | undefined;
  if (error === undefined) return undefined;
  if (typeof error === 'string') return new HostError('error', '', error);
  const params: Record<string, string> = {};
  for (const p of asList(error.param as XmlNode | XmlNode[] | undefined)) {
    const name = p.$?.name;
    if (name) params[name] = textOf(p) ?? '';
  }
  return new HostError(error.$?.type ?? 'error', error.$?.object ?? '', textOf(error.msg) ?? 'error', params);
}
