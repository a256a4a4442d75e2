import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every text of the back office exists in English and in Dutch, with the same placeholders. */
const i18nDir = path.resolve(import.meta.dirname, '../../web/src/i18n');

type Tree = { [key: string]: string | string[] | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(name, value);
    else if (Array.isArray(value)) value.forEach((item, index) => entries.set(`${name}.${index}`, item));
    else for (const [nested, text] of flatten(value, name)) entries.set(nested, text);
  }
  return entries;
}

const load = (file: string) => flatten(JSON.parse(readFileSync(path.join(i18nDir, file), 'utf8')) as Tree);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((match) => match[1]).sort();

const pairs: Array<[string, string]> = [['en.json', 'nl.json']];
for (const file of readdirSync(path.join(i18nDir, 'features'))) {
  if (file.endsWith('.en.json')) pairs.push([`features/${file}`, `features/${file.replace('.en.json', '.nl.json')}`]);
}

describe.each(pairs)('%s and %s', (englishFile, dutchFile) => {
  const english = load(englishFile);
  const dutch = load(dutchFile);

  it('have the same keys', () => {
    expect([...dutch.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('use the same placeholders in every text, and leave none empty', () => {
    for (const [key, text] of english) {
      expect(text.trim(), `${englishFile}: ${key}`).not.toBe('');
      expect(dutch.get(key)?.trim(), `${dutchFile}: ${key}`).not.toBe('');
      expect(placeholders(dutch.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });
});
