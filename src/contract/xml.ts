/** The one XML builder and parser: host documents out, host and selling-side documents in. */
import { HostError } from './errors';

/** A parsed XML node as xml2js gives it with explicitArray off: attributes under `$`, text under `_`. */
export type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };

/**
 * Builds `<doc>...</doc>` from an xml2js-shaped object: `$` attributes, `_` text, other keys child elements
 * (an array repeats the element; null or undefined gives an empty one).
 *
 * Why not xml2js's Builder: it loads all of xmlbuilder, about 20 ms, a third of a handler's cold-start budget
 * (`features` runs on every panel start). Serialising our own documents needs only escaping, done here, and
 * characters XML cannot carry are replaced rather than thrown on, so an error document is always printable.
 */
export function buildDoc(body: Record<string, unknown> = {}): string {
  const lines: string[] = [];
  renderElement('doc', body, 0, lines);
  return lines.join('\n') + '\n';
}

// eslint-disable-next-line no-control-regex -- finding the characters XML forbids is the point
const ILLEGAL_XML_CHARS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * What escapeText and escapeAttribute change, in one test each: most values (ids, names, dates, amounts) need no
 * escaping and are returned as they are, without five replaces. Each class is the complement of what is kept as is.
 */
// eslint-disable-next-line no-control-regex -- tab and newline are the characters text keeps and attributes escape
const TEXT_TO_ESCAPE = /[^\x09\x0A\x20-\x25\x27-\x3B\x3D\x3F-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_TO_ESCAPE = /[^\x20\x21\x23-\x25\x27-\x3B\x3D\x3F-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function escapeText(text: string): string {
  if (!TEXT_TO_ESCAPE.test(text)) return text;
  return text
    .replace(ILLEGAL_XML_CHARS, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#xD;');
}

function escapeAttribute(text: string): string {
  if (!ATTRIBUTE_TO_ESCAPE.test(text)) return text;
  return escapeText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;');
}

function renderElement(name: string, value: unknown, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  if (value === null || value === undefined || typeof value !== 'object') {
    const text = value === null || value === undefined ? '' : escapeText(String(value));
    lines.push(text === '' ? `${pad}<${name}/>` : `${pad}<${name}>${text}</${name}>`);
    return;
  }
  const node = value as XmlNode;
  const attributes = Object.entries(node.$ ?? {})
    .map(([key, attr]) => ` ${key}="${escapeAttribute(String(attr))}"`)
    .join('');
  const text = node._ === undefined || node._ === null ? '' : escapeText(String(node._));
  const children: string[] = [];
  for (const [key, child] of Object.entries(node)) {
    if (key === '$' || key === '_') continue;
    for (const entry of Array.isArray(child) ? child : [child])
      renderElement(key, entry, depth + 1, children);
  }
  if (children.length === 0) {
    lines.push(
      text === '' ? `${pad}<${name}${attributes}/>` : `${pad}<${name}${attributes}>${text}</${name}>`,
    );
  } else {
    lines.push(`${pad}<${name}${attributes}>${text}`, ...children, `${pad}</${name}>`);
  }
}

/** Builds the host's error document: `<doc><error type= object=><param name=>..</param><msg>..</msg></error></doc>`. */
export function errorDoc(err: HostError): string {
  const params = Object.entries(err.params).map(([name, value]) => ({ $: { name }, _: value }));
  return buildDoc({
    error: {
      $: { type: err.type, object: err.object },
      ...(params.length ? { param: params } : {}),
      msg: err.message,
    },
  });
}

/** Parses an XML document; malformed input is a HostError that names its source. */
export async function parseXml(text: string, source: string): Promise<XmlNode> {
  let parsed: unknown;
  try {
    // Loaded on first parse only: `features` and `--help` never parse.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseStringPromise } = require('xml2js') as typeof import('xml2js');
    parsed = await parseStringPromise(text, { explicitArray: false, explicitRoot: true, trim: true });
  } catch (err) {
    throw new HostError(
      'xml',
      source,
      `malformed XML from ${source}: ${(err as Error).message.split('\n')[0]}`,
    );
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
