import { describe, expect, it } from 'vitest';
import { cleanCell } from '../imports/cells.ts';
import {
  csvRecord,
  csvRecordOfCopyLine,
  formatCell,
  formatRow,
  parseCopyLine,
  rowValues,
  sheetRowXml,
  sheetRowXmlOfCopyLine,
  xmlText,
} from './export-format.ts';
import { exportTypes, resolveColumns } from './export-types.ts';

const en = {
  language: 'en' as const,
  resetPageUrl: 'https://shop.example/account/forgot-password',
  cellGuard: 'formula-guard' as const,
};
const nl = { ...en, language: 'nl' as const };

describe('formatCell', () => {
  it.each([
    ['=SUM(1)', "'=SUM(1)"],
    ['+31 6 12345678', "'+31 6 12345678"],
    ['-5', "'-5"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['\rReturn', "'\rReturn"],
    ["'=already", "''=already"],
    ["'0612", "''0612"],
    ["'s-Hertogenbosch", "'s-Hertogenbosch"],
    ['Jansen', 'Jansen'],
    ['01067', '01067'],
  ])('guards %j as %j (OWASP CSV injection), and the importer reads it back', (value, expected) => {
    expect(formatCell('text', value, en)).toBe(expected);
    expect(cleanCell(formatCell('text', value, en))).toBe(value.trim());
  });

  it.each([
    ['=SUM(1)', '=SUM(1)', '=SUM(1)'],
    ['+31 6 12345678', '+31 6 12345678', '+31 6 12345678'],
    ['@cmd', '@cmd', '@cmd'],
    ["'=already", "''=already", "'=already"],
    ["'0612", "''0612", "'0612"],
    ['="0612"', '\'="0612"', '="0612"'],
    ["'s-Hertogenbosch", "'s-Hertogenbosch", "'s-Hertogenbosch"],
  ])(
    'writes %j into an XLSX cell as %j (typed text, no guard) and for a program as %j',
    (value, inXlsx, raw) => {
      expect(formatCell('text', value, { ...en, cellGuard: 'import-safe' })).toBe(inXlsx);
      expect(cleanCell(formatCell('text', value, { ...en, cellGuard: 'import-safe' }))).toBe(value);
      expect(formatCell('text', value, { ...en, cellGuard: 'raw' })).toBe(raw);
    },
  );

  it('writes booleans and genders in words the importer reads, per language; null is empty', () => {
    expect([
      formatCell('boolean', 'true', en),
      formatCell('boolean', 'false', en),
      formatCell('boolean', 'true', nl),
      formatCell('boolean', 'false', nl),
    ]).toEqual(['yes', 'no', 'ja', 'nee']);
    expect([
      formatCell('gender', 'female', en),
      formatCell('gender', 'female', nl),
      formatCell('gender', 'other', nl),
    ]).toEqual(['female', 'vrouw', 'anders']);
    expect(formatCell('text', null, en)).toBe('');
    expect(formatCell('gender', null, nl)).toBe('');
  });

  it('links to the storefront reset page in the customer’s language when the storefront has it', () => {
    expect(formatCell('reset-link', 'nl', en)).toBe('https://shop.example/account/forgot-password?lang=nl');
    expect(formatCell('reset-link', 'de', en)).toBe('https://shop.example/account/forgot-password');
    expect(formatCell('reset-link', '', en)).toBe('https://shop.example/account/forgot-password');
  });
});

describe('parseCopyLine', () => {
  it('decodes COPY text format: \\N is null, escapes are undone', () => {
    expect(parseCopyLine('1\t\\N\tline 1\\nline 2\\r\\n\ttab\\there\tback\\\\slash\t')).toEqual([
      '1',
      null,
      'line 1\nline 2\r\n',
      'tab\there',
      'back\\slash',
      '',
    ]);
  });
});

describe('csvRecord', () => {
  it('quotes fields with the delimiter, quotes or line breaks, and ends with CRLF', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'x\ny', 'semi;colon'], { delimiter: ',' })).toBe(
      'a,"b,c","say ""hi""","x\ny",semi;colon\r\n',
    );
    expect(csvRecord(['a', 'b,c', 'semi;colon'], { delimiter: ';' })).toBe('a;b,c;"semi;colon"\r\n');
  });
});

describe('csvRecordOfCopyLine', () => {
  it('gives exactly what parsing, formatting and encoding one by one give', () => {
    const { columns } = resolveColumns(
      exportTypes.customers,
      ['id', 'email', 'firstName', 'newsletter', 'gender', 'notes'],
      undefined,
    );
    for (const line of [
      '1\tA@x.nl\t=SUM(1)\ttrue\tfemale\tline 1\\nline "2", three; four',
      '2\t\\N\t\\N\tfalse\t\\N\ttab\\there\\\\',
    ]) {
      for (const delimiter of [',', ';'] as const) {
        for (const context of [en, nl]) {
          expect(csvRecordOfCopyLine(line, columns, context, { delimiter })).toBe(
            csvRecord(formatRow(columns, parseCopyLine(line), context), { delimiter }),
          );
        }
      }
    }
  });
});

describe('SpreadsheetML', () => {
  it('escapes XML, keeps CR as a reference and drops characters XML cannot carry', () => {
    expect(xmlText('a & b < c > d\r\n\u0001\uFFFF')).toBe('a &amp; b &lt; c &gt; d&#13;\n');
  });

  it('writes text cells with the Text style, skips empty ones and preserves line breaks', () => {
    expect(sheetRowXml(7, ['01067', '', 'two\nlines'], ['A', 'B', 'C'])).toBe(
      '<row r="7"><c r="A7" s="1" t="inlineStr"><is><t>01067</t></is></c><c r="C7" s="1" t="inlineStr"><is><t xml:space="preserve">two\nlines</t></is></c></row>',
    );
  });
});

describe('SpreadsheetML rows straight from COPY lines', () => {
  const { columns } = resolveColumns(
    exportTypes.customers,
    ['id', 'email', 'firstName', 'newsletter', 'gender', 'notes'],
    undefined,
  );
  const letters = ['A', 'B', 'C', 'D', 'E', 'F'];
  const xlsx = { ...en, cellGuard: 'import-safe' as const };

  it.each([
    '1\tA@x.nl\tJan\ttrue\tfemale\tplain',
    '2\t\\N\t\\N\tfalse\t\\N\t\\N',
    '3\tR&D@x.nl\t<b>\ttrue\tmale\ta > b',
    '4\ta@x.nl\t Jan \tfalse\tother\tline 1\\nline 2\\r\\n & tab\\there\\\\',
    "5\ta@x.nl\t=SUM(1)\ttrue\tfemale\t'0612",
    '6\ta@x.nl\tZoë 😀\tmaybe\tx\tctrl \u0001 \uFFFF',
    '7\ta@x.nl\t\\N\ttrue\t\\N\t\\N\t{"firstName": "=Jan", "gender": "vrouw"}',
  ])('writes %j exactly as formatting the cells one by one does', (line) => {
    for (const context of [xlsx, { ...xlsx, language: 'nl' as const }])
      expect(sheetRowXmlOfCopyLine(line, 9, columns, context, letters)).toBe(
        sheetRowXml(9, formatRow(columns, rowValues(line, columns), context), letters),
      );
  });
});

describe('export columns', () => {
  it('are, for customers, every exported field of the importer in its order, and the reset link only on request', () => {
    const { columns } = resolveColumns(exportTypes.customers, undefined, undefined);
    expect(columns[0]!.headings).toEqual({ en: 'Clientele ID', nl: 'Clientele-ID' });
    expect(columns.map((column) => column.key)).not.toContain('passwordResetLink');
    expect(resolveColumns(exportTypes.customers, ['notes', 'email', 'nope'], undefined)).toMatchObject({
      columns: [{ key: 'email' }, { key: 'notes' }],
      unknown: ['nope'],
    });
    expect(
      resolveColumns(exportTypes.customers, undefined, 'mailing-list').columns.map((column) => column.key),
    ).toEqual([
      'email',
      'firstName',
      'lastName',
      'language',
      'newsletter',
      'emailConsentAt',
      'emailConsentSource',
      'passwordResetLink',
    ]);
  });
});

describe('flagged values as typed (one more JSON field after the columns)', () => {
  const columns = resolveColumns(
    exportTypes.customers,
    ['id', 'gender', 'birthDate', 'language', 'notes'],
    undefined,
  ).columns;
  // COPY text of: 7, NULL, NULL, '', 'x', {"gender": "=vrouw\t", "birthDate": "2090-05-01", "language": "Klin\"gon"}
  const line =
    '7\t\\N\t\\N\t\tx\t{"gender": "=vrouw\\\\t", "birthDate": "2090-05-01", "language": "Klin\\\\"gon", "notes": "n"}';

  it('fills each empty cell with the value as typed, and leaves stored values alone', () => {
    expect(rowValues(line, columns).slice(0, 5)).toEqual(['7', '=vrouw\t', '2090-05-01', 'Klin"gon', 'x']);
  });

  it('writes the same CSV record by the fast path as by the general one, formula guard included', () => {
    const record = csvRecordOfCopyLine(line, columns, en, { delimiter: ',' });
    expect(record).toBe(csvRecord(formatRow(columns, rowValues(line, columns), en), { delimiter: ',' }));
    expect(record).toBe(`7,'=vrouw\t,2090-05-01,"Klin""gon",x\r\n`);
    expect(csvRecordOfCopyLine('7\tmale\t\\N\tnl\t\t\\N', columns, en, { delimiter: ',' })).toBe(
      '7,male,,nl,\r\n',
    );
  });
});
