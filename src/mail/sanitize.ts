import { compile } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';
import { decodePlaceholders } from './placeholders.ts';

/**
 * What an e-mail body may contain: text formatting, lists, tables, links and images. No scripts,
 * styles, event handlers, forms, frames or `javascript:` / `data:` URLs. Applied when a template
 * is saved and again to the filled-in message just before it is sent (defence in depth: a value
 * or a row written around the API cannot smuggle markup into a mail).
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'div',
    'span',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'code',
    'pre',
    'blockquote',
    'h1',
    'h2',
    'h3',
    'h4',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    p: ['style'],
    h1: ['style'],
    h2: ['style'],
    h3: ['style'],
    td: ['colspan', 'rowspan', 'style'],
    th: ['colspan', 'rowspan', 'style'],
  },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center|justify)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links open outside the mail client and do not tell the target where they came from.
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }),
  },
};

export function sanitizeEmailHtml(html: string): string {
  // Editors percent-encode `[[reset_link]]` in an href; decode first so it survives as written.
  return decodePlaceholders(sanitizeHtml(decodePlaceholders(html), options));
}

// Compiled once: building the converter is most of html-to-text's cost per call.
const toPlainText = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
  ],
});

/** The plain-text part of a message, generated from its HTML. */
export const htmlToPlainText = (html: string): string => toPlainText(html);

/**
 * Every link of an HTML part, with its text, in document order: the mailbox shows them so staff
 * see where a message points (a reset link, the shop) without clicking inside the message.
 */
export function linksInHtml(html: string): { text: string; href: string }[] {
  const links: { text: string; href: string }[] = [];
  sanitizeHtml(html, {
    allowedTags: ['a'],
    allowedAttributes: { a: ['href'] },
    exclusiveFilter: (frame) => {
      const href = frame.tag === 'a' ? frame.attribs.href : undefined;
      if (href) links.push({ text: frame.text.replace(/\s+/g, ' ').trim(), href });
      return false;
    },
  });
  return links;
}
