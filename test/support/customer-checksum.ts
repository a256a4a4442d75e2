import type { Queryable } from '../../src/db/database.ts';

/**
 * The customers table as a user sees it: every column in e-mail order, hashed, plus the group
 * memberships; with the row count and the number of distinct addresses (equal when there are no
 * duplicates). Two databases with the same checksum hold the same customers.
 */
export async function customerChecksum(db: Queryable) {
  const { rows: result } = await db.query<{ customers: string; count: number; distinct: number; members: string }>(`
    SELECT (SELECT md5(string_agg(concat_ws('|', email, email_normalized, first_name, name_insertion, last_name, gender, birth_date, phone, mobile, language,
                 is_company, company_name, coc_number, vat_number, billing_street, billing_number, billing_extension, billing_postcode, billing_city,
                 billing_region, billing_country, shipping_same_as_billing, shipping_street, shipping_number, shipping_postcode, shipping_city,
                 shipping_country, newsletter, notes, external_id, password_state, search_text), E'\\n' ORDER BY email_normalized)) FROM customers) AS customers,
           (SELECT count(*)::int FROM customers) AS count,
           (SELECT count(DISTINCT email_normalized)::int FROM customers) AS distinct,
           (SELECT md5(string_agg(c.email_normalized || '>' || g.name, ',' ORDER BY c.email_normalized, g.name))
              FROM customer_group_members m JOIN customers c ON c.id = m.customer_id JOIN customer_groups g ON g.id = m.group_id) AS members`);
  return result[0]!;
}
