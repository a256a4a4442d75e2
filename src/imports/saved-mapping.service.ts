import { normalizeGroupName } from '../customers/group.service.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { savedMappingInputSchema, type SavedMappingItem } from './import.schemas.ts';
import { importRepository } from './import.repository.ts';
import { normalizeHeading, toSavedMapping, type Mapping, type SavedMapping } from './mapping.ts';

/**
 * Column mappings saved under a name ("Lightspeed export", "Newsletter sheet") and picked for the
 * next file. Names are told apart as group names are (case, spacing and Unicode form ignored).
 */

type SavedMappingRow = { id: number; name: string; columns: SavedMapping; created_at: Date; updated_at: Date };

const toItem = (row: SavedMappingRow): SavedMappingItem => ({
  id: row.id,
  name: row.name,
  columns: { ...row.columns },
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/**
 * The saved mapping made for a file with exactly these headings (the same set, in any order;
 * blank headings aside), the most recently saved first; undefined when none matches.
 */
export async function findSavedMappingFor(tx: Queryable, headings: readonly string[]): Promise<SavedMappingRow | undefined> {
  const wanted = new Set(headings.filter((heading) => heading.trim() !== '').map(normalizeHeading));
  if (wanted.size === 0) return undefined;
  const { rows } = await tx.query<SavedMappingRow>("SELECT * FROM import_mappings WHERE type = 'customers' ORDER BY updated_at DESC, id DESC LIMIT 500");
  return rows.find((row) => {
    const keys = Object.keys(row.columns);
    return keys.length === wanted.size && keys.every((key) => wanted.has(key));
  });
}

export function createSavedMappingService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    async list(): Promise<SavedMappingItem[]> {
      const { rows } = await db.pool.query<SavedMappingRow>("SELECT * FROM import_mappings WHERE type = 'customers' ORDER BY name_normalized, id");
      return rows.map(toItem);
    },

    async get(id: number): Promise<SavedMapping> {
      const { rows } = await db.pool.query<SavedMappingRow>('SELECT * FROM import_mappings WHERE id = $1', [id]);
      if (!rows[0]) throw notFound(`Saved mapping #${id}`);
      return rows[0].columns;
    },

    /** Saves the import's current mapping under a name; the same name again replaces it. */
    async save(input: unknown, staffId: number): Promise<SavedMappingItem> {
      const { name, importId } = parseOrThrow(savedMappingInputSchema, input);
      const record = await importRepository.findById(db.pool, importId);
      if (!record) throw notFound(`Import #${importId}`);
      const columns = toSavedMapping(record.mapping as Mapping);
      if (Object.keys(columns).length === 0) throw new AppError('invalid_input', 'This file has no headings to save a mapping for.');
      const now = clock.now();
      const { rows } = await db.pool.query<SavedMappingRow>(
        `INSERT INTO import_mappings (type, name, name_normalized, columns, created_by, created_at, updated_at)
         VALUES ('customers', $1, $2, $3, $4, $5, $5)
         ON CONFLICT (type, name_normalized) DO UPDATE SET name = EXCLUDED.name, columns = EXCLUDED.columns, updated_at = EXCLUDED.updated_at
         RETURNING *`,
        [name, normalizeGroupName(name), JSON.stringify(columns), staffId, now],
      );
      return toItem(rows[0]!);
    },

    async delete(id: number): Promise<void> {
      const { rowCount } = await db.pool.query('DELETE FROM import_mappings WHERE id = $1', [id]);
      if (!rowCount) throw notFound(`Saved mapping #${id}`);
    },
  };
}
