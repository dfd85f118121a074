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
    // Loaded on first parse only: `features` and `--help` never parse. Only the parser: the package's index also
    // loads its Builder and all of xmlbuilder (6 ms of a handler's start), which buildDoc does not need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseStringPromise } = require('xml2js/lib/parser') as Pick<
      typeof import('xml2js'),
      'parseStringPromise'
    >;
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

/** Thrown inside the tokenizer's handlers to stop reading a document that is not a flat list. */
const NOT_FLAT = new Error('not a flat list');

/**
 * The `<elem>`s of a flat list answer, `<doc><elem><id>1</id><type>setup</type><param/>...</elem>...</doc>`, read
 * straight from a strict tokenizer (saxes); undefined for any other document, which parseXml then reads: an error
 * document, attributes, nesting, a field given twice, CDATA, a DOCTYPE, a carriage return (saxes turns it into a
 * line feed as XML says; xml2js keeps it), malformed text. For the documents it reads it gives what parseXml's
 * `doc.elem` gives, as a list (test/unit/contract/xml-flat-list.test.ts compares the two).
 *
 * Why a second reading: checkevent reads pages of 2,000 events, and xml2js spends most of its time on each building
 * and trimming a generic tree that is thrown away (27 ms a page against 5 ms here). Comments and processing
 * instructions are skipped, as xml2js skips them, and so is a `<tparams>` echo of the request, which no caller reads
 * (contract section 4). Only three handlers are registered: saxes keeps them as
 * properties of the parser, and with more of them it ran four times slower.
 */
export function readFlatList(text: string): XmlNode[] | undefined {
  if (text.includes('<![CDATA[') || text.includes('<!DOCTYPE') || text.includes('\r')) return undefined;
  // Loaded on first use only, as xml2js is: `features` and `--help` never read a list.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SaxesParser } = require('saxes') as typeof import('saxes');
  const parser = new SaxesParser({ position: false });
  const elems: XmlNode[] = [];
  let depth = 0;
  // The depth of a `<tparams>` being skipped (the request's echo some versions end a document with), else 0.
  let skipping = 0;
  let elem: Record<string, string> = {};
  let field = '';
  let value = '';
  const notFlat = (): never => {
    throw NOT_FLAT;
  };
  parser.on('opentag', (tag) => {
    depth += 1;
    if (skipping) return;
    if (depth === 2 && tag.name === 'tparams') {
      skipping = depth;
      return;
    }
    if (depth > 3 || Object.keys(tag.attributes).length > 0) notFlat();
    if (depth === 1 && tag.name !== 'doc') notFlat();
    if (depth === 2) {
      if (tag.name !== 'elem') notFlat();
      elem = {};
    }
    if (depth === 3) {
      // `in` also refuses Object.prototype's names (__proto__, constructor, ...); `_` is xml2js's text key.
      if (tag.name in elem || tag.name === '_') notFlat();
      field = tag.name;
      value = '';
    }
  });
  parser.on('text', (part) => {
    if (skipping) return;
    if (depth === 3) value += part;
    else if (part.trim() !== '') notFlat();
  });
  parser.on('closetag', () => {
    if (skipping) {
      if (depth === skipping) skipping = 0;
      depth -= 1;
      return;
    }
    // As xml2js with trim: a field of only white space keeps that white space as it is.
    if (depth === 3) elem[field] = value.trim() === '' ? value : value.trim();
    if (depth === 2) {
      // An empty <elem/> is '' in xml2js, which its callers read differently from a row.
      if (Object.keys(elem).length === 0) notFlat();
      elems.push(elem);
    }
    depth -= 1;
  });
  try {
    // saxes throws on the first well-formedness error: no error handler is needed.
    parser.write(text).close();
  } catch {
    // Not a flat list, or not well-formed: parseXml reads it, and says what is wrong with it.
    return undefined;
  }
  return elems;
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
