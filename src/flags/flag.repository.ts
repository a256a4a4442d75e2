import type { Queryable } from '../db/database.ts';

/**
 * Flags on customers. A flag is open while the customer's column still holds what the import
 * wrote (`stored_value`): a corrected value closes it, whoever saves it. The comparison reads
 * the column by name through to_jsonb, so one query serves every field.
 */

export type NewFlag = {
  customerId: number;
  field: string;
  columnName: string | null;
  value: string;
  storedValue: string | null;
  code: string;
  message: string;
  params: Record<string, string | number>;
  rowNumber: number;
};

export type FlagRow = {
  field: string;
  value: string;
  code: string;
  message: string;
  params: Record<string, string | number>;
  import_id: number | null;
  row_number: number | null;
  created_at: Date;
};

/** SQL: the flag `f` of customer `c` is open. */
export const openFlagCondition = '(to_jsonb(c) ->> f.column_name) IS NOT DISTINCT FROM f.stored_value';

export const flagRepository = {
  /** Writes an import batch's flags; a newer flag on the same field replaces the older one. */
  async upsertMany(db: Queryable, importId: number, flags: readonly NewFlag[], now: Date): Promise<void> {
    if (flags.length === 0) return;
    await db.query(
      `INSERT INTO customer_flags (customer_id, field, column_name, value, stored_value, code, message, params, import_id, row_number, created_at)
       SELECT x.customer_id, x.field, x.column_name, x.value, x.stored_value, x.code, x.message, x.params, $1, x.row_number, $2
         FROM jsonb_to_recordset($3::jsonb)
              AS x(customer_id bigint, field text, column_name text, value text, stored_value text, code text, message text, params jsonb, row_number int)
       ON CONFLICT (customer_id, field) DO UPDATE
          SET column_name = EXCLUDED.column_name, value = EXCLUDED.value, stored_value = EXCLUDED.stored_value, code = EXCLUDED.code,
              message = EXCLUDED.message, params = EXCLUDED.params, import_id = EXCLUDED.import_id, row_number = EXCLUDED.row_number,
              created_at = EXCLUDED.created_at`,
      [
        importId,
        now,
        JSON.stringify(
          flags.map((flag) => ({
            customer_id: flag.customerId, field: flag.field, column_name: flag.columnName, value: flag.value, stored_value: flag.storedValue,
            code: flag.code, message: flag.message, params: flag.params, row_number: flag.rowNumber,
          })),
        ),
      ],
    );
  },

  /**
   * Flags of values a staff form (or the storefront) saved as typed because they do not fit, as an
   * import flags its kept values (no import, no row); a newer flag on the field replaces the older.
   */
  async upsertForCustomer(db: Queryable, customerId: number, flags: ReadonlyArray<Omit<NewFlag, 'customerId' | 'rowNumber'>>, now: Date): Promise<void> {
    for (const flag of flags) {
      await db.query(
        `INSERT INTO customer_flags (customer_id, field, column_name, value, stored_value, code, message, params, import_id, row_number, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, $9)
         ON CONFLICT (customer_id, field) DO UPDATE
            SET column_name = EXCLUDED.column_name, value = EXCLUDED.value, stored_value = EXCLUDED.stored_value, code = EXCLUDED.code,
                message = EXCLUDED.message, params = EXCLUDED.params, import_id = NULL, row_number = NULL, created_at = EXCLUDED.created_at`,
        [customerId, flag.field, flag.columnName, flag.value, flag.storedValue, flag.code, flag.message, JSON.stringify(flag.params), now],
      );
    }
  },

  /** The open flags of a customer, in field order. */
  async listOpen(db: Queryable, customerId: number): Promise<FlagRow[]> {
    const { rows } = await db.query<FlagRow>(
      `SELECT f.field, f.value, f.code, f.message, f.params, f.import_id, f.row_number, f.created_at
         FROM customer_flags f JOIN customers c ON c.id = f.customer_id
        WHERE f.customer_id = $1 AND ${openFlagCondition}
        ORDER BY f.field`,
      [customerId],
    );
    return rows;
  },

  /** A customer's flags of one code go (a storefront company claim, once staff linked the customer). */
  async deleteByCode(db: Queryable, customerId: number, code: string): Promise<void> {
    await db.query('DELETE FROM customer_flags WHERE customer_id = $1 AND code = $2', [customerId, code]);
  },

  /** Staff keep the value as it is: the flag goes. False when there was none. */
  async delete(db: Queryable, customerId: number, field: string): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM customer_flags WHERE customer_id = $1 AND field = $2', [customerId, field]);
    return (rowCount ?? 0) > 0;
  },
};
