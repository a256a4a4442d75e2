import { nameInsertions } from './column-values.ts';

/**
 * Pure: the values of combined columns split into the fields they hold — a full name into first
 * name, insertion and last name; a street with its house number into street, number, extension
 * and a second address line. The mapping maps such a column to `fullName` or
 * `billing.streetWithNumber`; validate.ts splits each cell with these.
 */

export type NameParts = { firstName: string; nameInsertion: string; lastName: string };

function findInsertion(tokens: readonly string[], from: number, to: number): { at: number; length: number } | undefined {
  for (let at = from; at < to; at++) {
    for (const insertion of nameInsertions) {
      if (at + insertion.length > to) continue;
      if (insertion.every((word, offset) => tokens[at + offset]?.toLowerCase() === word)) return { at, length: insertion.length };
    }
  }
  return undefined;
}

/**
 * A full name into first name, insertion and last name: "Jan van der Berg" → Jan / van der /
 * Berg; "Berg, Jan van der" (last name first) likewise. Everything before the insertion is first
 * name; without an insertion the first word (with initials such as "P.") is the first name and
 * the rest the last name. One word is taken as the last name.
 */
export function splitFullName(value: string): NameParts {
  const comma = value.indexOf(',');
  if (comma >= 0) {
    const lastName = value.slice(0, comma).trim().replace(/\s+/g, ' ');
    const tokens = value.slice(comma + 1).trim().split(/\s+/).filter(Boolean);
    const insertion = findInsertion(tokens, 1, tokens.length);
    const cut = insertion && insertion.at + insertion.length === tokens.length ? insertion.at : tokens.length;
    return { firstName: tokens.slice(0, cut).join(' '), nameInsertion: tokens.slice(cut).join(' '), lastName };
  }
  const tokens = value.trim().split(/\s+/).filter(Boolean);
  if (tokens.length <= 1) return { firstName: '', nameInsertion: '', lastName: tokens[0] ?? '' };
  const insertion = findInsertion(tokens, 1, tokens.length - 1);
  if (insertion) {
    return {
      firstName: tokens.slice(0, insertion.at).join(' '),
      nameInsertion: tokens.slice(insertion.at, insertion.at + insertion.length).join(' '),
      lastName: tokens.slice(insertion.at + insertion.length).join(' '),
    };
  }
  let firstNameEnd = 1;
  while (firstNameEnd < tokens.length - 1 && /^\p{Lu}\.$/u.test(tokens[firstNameEnd] ?? '')) firstNameEnd++;
  return { firstName: tokens.slice(0, firstNameEnd).join(' '), nameInsertion: '', lastName: tokens.slice(firstNameEnd).join(' ') };
}

export type StreetParts = { street: string; number: string; extension: string; address2: string };

const numberAtEnd = /^(.+?)[\s,]+(\d+)(\s+(?:bus|box|bte)\s*\w+|\s*[-/]?\s*[\p{L}\d]{1,6})?$/iu;
const numberAtStart = /^(\d+)(\p{L})?(?:\s+(bis|ter))?,?\s+(\p{L}.*)$/iu;
const numberAlone = /^(\d+)(\s+(?:bus|box|bte)\s*\w+|\s*[-/]?\s*[\p{L}\d]{1,6})?$/iu;

const extensionOf = (text: string | undefined) => (text ?? '').replace(/^[\s\-/]+/, '').trim();

/**
 * A street with its house number into parts: "Keizersgracht 313-II" → Keizersgracht / 313 / II,
 * "Hoofdstraat 12a" → 12 / a, "Rue de la Paix 5 bis" → 5 / bis, "Kerkstraat 12 bus 3" → 12 /
 * bus 3, "10 Downing Street" → 10 / Downing Street. A multi-line cell (Magento) is street lines:
 * a second line that starts with a digit is the number (and a third its extension); other lines
 * go to address line 2. Without a recognisable number everything is the street.
 */
export function splitStreetWithNumber(value: string): StreetParts {
  const lines = value.split(/\r\n|\r|\n/).map((line) => line.trim().replace(/\s+/g, ' ')).filter(Boolean);
  const [first = '', second, ...rest] = lines;
  const alone = second === undefined ? null : numberAlone.exec(second);
  if (alone) {
    const extension = extensionOf(alone[2]) || (rest.length > 0 && rest[0] !== undefined && rest[0].length <= 6 ? (rest.shift() ?? '') : '');
    return { street: first, number: alone[1] ?? '', extension, address2: rest.join(', ') };
  }
  const address2 = lines.slice(1).join(', ');
  const atEnd = numberAtEnd.exec(first);
  if (atEnd) return { street: (atEnd[1] ?? '').replace(/,$/, ''), number: atEnd[2] ?? '', extension: extensionOf(atEnd[3]), address2 };
  const atStart = numberAtStart.exec(first);
  if (atStart) return { street: atStart[4] ?? '', number: atStart[1] ?? '', extension: atStart[2] ?? atStart[3] ?? '', address2 };
  return { street: first, number: '', extension: '', address2 };
}
