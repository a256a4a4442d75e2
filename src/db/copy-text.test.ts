import { describe, expect, it } from 'vitest';
import { parseCopyLine } from '../exports/export-format.ts';
import { copyField } from './copy-text.ts';

describe('copyField', () => {
  it('writes NULL, booleans and dates the way COPY reads them', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect([copyField(true), copyField(false)]).toEqual(['t', 'f']);
    expect(copyField(new Date('2026-12-01T10:00:00Z'))).toBe('2026-12-01T10:00:00.000Z');
    expect(copyField(42)).toBe('42');
  });

  it('escapes backslash, tab, newline and carriage return, and leaves everything else as it is', () => {
    expect(copyField('Zoë van der Berg')).toBe('Zoë van der Berg');
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('\\N')).toBe('\\\\N');
    // Read back by the exporter's parser, a line of fields gives the same values.
    const values = ['regel 1\r\nregel 2', 'tab\there', 'C:\\klanten', '', 'gewoon'];
    expect(parseCopyLine(values.map(copyField).join('\t'))).toEqual(values);
  });
});
