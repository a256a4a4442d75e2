import { normalizeGroupName } from '../customers/group.service.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { savedMappingInputSchema, savedMappingRenameSchema, type SavedMappingItem, type SavedMappingUse } from './import.schemas.ts';
import { importRepository } from './import.repository.ts';
import { normalizeHeading, toSavedMapping, type Mapping, type SavedMapping } from './mapping.ts';

/**
 * Column mappings saved under a name ("Lightspeed export", "Newsletter sheet") and picked for the
 * next file. Names are told apart as group names are (case, spacing and Unicode form ignored).
 */

type SavedMappingRow = { id: number; name: string; columns: SavedMapping; created_at: Date; updated_at: Date };
type UsedRow = SavedMappingRow & { import_count: number; last_used_at: Date | null };

const toItem = (row: SavedMappingRow & Partial<UsedRow>): SavedMappingItem => ({
  id: Number(row.id),
  name: row.name,
  columns: { ...row.columns },
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  importCount: row.import_count ?? 0,
  lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
});

/** The imports that used a saved mapping (`mapping.savedMapping.id`, indexed by migration 020). */
const usedBy = (alias: string) => `FROM imports i WHERE i.mapping ? 'savedMapping' AND ((i.mapping -> 'savedMapping') ->> 'id')::bigint = ${alias}`;
const withUse = `m.*, (SELECT count(*)::int ${usedBy('m.id')}) AS import_count, (SELECT max(i.created_at) ${usedBy('m.id')}) AS last_used_at`;

/** A name another saved mapping has (names are told apart as group names are). */
function nameTaken(name: string, language: StaffLanguage): AppError {
  const message = language === 'nl'
    ? `Er is al een opgeslagen koppeling “${name}”. Kies een andere naam, of verwijder die eerst.`
    : `There is already a saved mapping called “${name}”. Choose another name, or delete that one first.`;
  return new AppError('conflict', message, { name: { code: 'name_taken', message } });
}

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
    /** Every saved mapping, with how many imports used it and when last. */
    async list(): Promise<SavedMappingItem[]> {
      const { rows } = await db.pool.query<UsedRow>(`SELECT ${withUse} FROM import_mappings m WHERE m.type = 'customers' ORDER BY m.name_normalized, m.id`);
      return rows.map(toItem);
    },

    async get(id: number): Promise<{ id: number; name: string; columns: SavedMapping }> {
      const { rows } = await db.pool.query<SavedMappingRow>('SELECT * FROM import_mappings WHERE id = $1', [id]);
      if (!rows[0]) throw notFound(`Saved mapping #${id}`);
      return { id: Number(rows[0].id), name: rows[0].name, columns: rows[0].columns };
    },

    /** Gives a saved mapping another name; a name another mapping has is refused. */
    async rename(id: number, input: unknown, language: StaffLanguage = 'en'): Promise<SavedMappingItem> {
      const { name } = parseOrThrow(savedMappingRenameSchema, input);
      try {
        const { rowCount } = await db.pool.query(
          'UPDATE import_mappings SET name = $2, name_normalized = $3, updated_at = $4 WHERE id = $1',
          [id, name, normalizeGroupName(name), clock.now()],
        );
        if (!rowCount) throw notFound(`Saved mapping #${id}`);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw nameTaken(name, language);
        throw error;
      }
      const { rows } = await db.pool.query<UsedRow>(`SELECT ${withUse} FROM import_mappings m WHERE m.id = $1`, [id]);
      return toItem(rows[0]!);
    },

    /** The imports that used a saved mapping, newest first (at most 100). */
    async uses(id: number): Promise<SavedMappingUse[]> {
      await this.get(id);
      const { rows } = await db.pool.query<{ id: string; file_name: string; status: string; created_at: Date; created_by_name: string }>(
        `SELECT i.id, i.file_name, i.status, i.created_at, i.created_by_name ${usedBy('$1')} ORDER BY i.id DESC LIMIT 100`,
        [id],
      );
      return rows.map((row) => ({ id: Number(row.id), fileName: row.file_name, status: row.status, createdAt: row.created_at.toISOString(), createdByName: row.created_by_name }));
    },

    /**
     * Saves the import's current mapping under a name; the same name again replaces it. The
     * import then counts as one that used it.
     */
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
      const saved = rows[0]!;
      await db.pool.query(
        `UPDATE imports SET mapping = jsonb_set(mapping, '{savedMapping}', $2::jsonb) WHERE id = $1`,
        [importId, JSON.stringify({ id: Number(saved.id), name: saved.name })],
      );
      const { rows: used } = await db.pool.query<UsedRow>(`SELECT ${withUse} FROM import_mappings m WHERE m.id = $1`, [saved.id]);
      return toItem(used[0]!);
    },

    async delete(id: number): Promise<void> {
      const { rowCount } = await db.pool.query('DELETE FROM import_mappings WHERE id = $1', [id]);
      if (!rowCount) throw notFound(`Saved mapping #${id}`);
    },
  };
}
