import { AppError, badRequest, detail } from '../../../platform/http/errors.js';
import type { ParsedEInvoice } from './einvoice.parse.js';

/**
 * Bounds on an XML e-invoice, checked by one linear scan of the text before any parser builds a
 * tree of it. A DOM parser spends seconds on the event loop for a megabyte of attributes (90,000
 * of them stopped every request for 30–40 s); the scan refuses such a document in milliseconds.
 * A real UBL or CII invoice of a thousand lines stays far below each bound.
 */
export const XML_LIMITS = { depth: 32, elements: 100_000, attributes: 20_000, attributesPerElement: 32 };

/**
 * Refuses DTDs (`<!DOCTYPE`, `<!ENTITY`: entity expansion, external entities) and documents over
 * the bounds, naming the bound and never quoting the document. Comments, CDATA and processing
 * instructions are skipped whole; quoted attribute values may hold `>`.
 */
export function checkXmlShape(xml: string): void {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let i = xml.indexOf('<');
  while (i !== -1 && i < xml.length) {
    const next = xml.charCodeAt(i + 1);
    if (xml.startsWith('<!--', i)) i = skipTo(xml, '-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) i = skipTo(xml, ']]>', i + 9);
    else if (next === 0x21 /* ! */)
      throw badRequest('DTDs are not accepted: the XML must not contain <!DOCTYPE or <!ENTITY declarations', [
        detail('DTDs and entity declarations are refused', 'body'),
      ]);
    else if (next === 0x3f /* ? */) i = skipTo(xml, '?>', i + 2);
    else if (next === 0x2f /* / */) {
      depth--;
      i = skipTo(xml, '>', i + 2);
    } else {
      const tag = scanTag(xml, i + 1);
      elements++;
      attributes += tag.attributes;
      if (!tag.selfClosing) depth++;
      if (depth > XML_LIMITS.depth) throw tooLarge(`The XML is nested more than ${XML_LIMITS.depth} elements deep`, 400);
      if (elements > XML_LIMITS.elements) throw tooLarge(`The XML has more than ${XML_LIMITS.elements} elements`, 413);
      if (tag.attributes > XML_LIMITS.attributesPerElement) throw tooLarge(`An XML element has more than ${XML_LIMITS.attributesPerElement} attributes`, 400);
      if (attributes > XML_LIMITS.attributes) throw tooLarge(`The XML has more than ${XML_LIMITS.attributes} attributes`, 413);
      i = tag.end;
    }
    i = i === -1 ? -1 : xml.indexOf('<', i);
  }
}

function skipTo(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  return at === -1 ? -1 : at + end.length;
}

/** One start tag from just after its `<`: where it ends, how many attributes it has, whether it closes itself. */
function scanTag(xml: string, from: number): { end: number; attributes: number; selfClosing: boolean } {
  let attributes = 0;
  let quote = 0;
  for (let j = from; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3d /* = */) attributes++;
    else if (c === 0x3e /* > */) return { end: j + 1, attributes, selfClosing: xml.charCodeAt(j - 1) === 0x2f };
  }
  return { end: -1, attributes, selfClosing: true };
}

const tooLarge = (message: string, status: 400 | 413) => (status === 400 ? badRequest(message, [detail(message, 'body')]) : new AppError(413, message));

/** The JSON form's length limits (purchase.schemas.ts), held to the values read from XML as well. */
const STRING_LIMITS = { name: 100, description: 2000, reference: 255, references: 50, taxType: 50 };

/**
 * Values read from XML obey the limits the JSON form's schema sets, so neither form stores what
 * the other refuses. Errors name the field and the limit, never the value (it may be megabytes).
 */
export function checkXmlValues(parsed: ParsedEInvoice): ParsedEInvoice {
  const over = (value: string | null | undefined, max: number) => (value ?? '').length > max;
  const fail = (field: string, max: number) =>
    badRequest(`${field} read from the XML is longer than ${max} characters`, [detail(`at most ${max} characters`, field, `body.${field}`)]);
  if (over(parsed.name, STRING_LIMITS.name)) throw fail('name', STRING_LIMITS.name);
  if (parsed.references.length > STRING_LIMITS.references) throw badRequest(`The XML carries more than ${STRING_LIMITS.references} document references`);
  parsed.references.forEach((r, i) => {
    if (over(r, STRING_LIMITS.reference)) throw fail(`references.${i}`, STRING_LIMITS.reference);
  });
  parsed.lines.forEach((line, i) => {
    if (over(line.description, STRING_LIMITS.description)) throw fail(`line_items.${i}.description`, STRING_LIMITS.description);
    if (over(line.taxType, STRING_LIMITS.taxType)) throw fail(`line_items.${i}.tax_rate.tax_type`, STRING_LIMITS.taxType);
    line.references.forEach((r, j) => {
      if (over(r, STRING_LIMITS.reference)) throw fail(`line_items.${i}.references.${j}`, STRING_LIMITS.reference);
    });
  });
  return parsed;
}
