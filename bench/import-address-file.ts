import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Database } from '../src/db/database.ts';

/** The import benchmark's address file (issue #16), written from the stored customers, and its COPY floor. */

const addressHeadings = ['E-mail', 'Address label', 'Street', 'House number', 'House number extension', 'Postcode', 'City', 'Country', 'Default billing address', 'Default shipping address'];

/**
 * An address file like Magento's (one row per address, a customer's rows together): each stored
 * customer's default address as it is (default flags yes: nothing to change) and a work address
 * it does not have yet. Written from the database (not timed), read by the import as a shop's file.
 */
export async function writeAddressFile(db: Database, file: string): Promise<{ rows: number; bytes: number }> {
  const client = await db.pool.connect();
  try {
    const quoted = addressHeadings.map((heading) => `"${heading}"`);
    await pipeline(
      client.query(copyTo(`COPY (
        SELECT email AS ${quoted[0]}, label AS ${quoted[1]}, street AS ${quoted[2]}, number AS ${quoted[3]}, extension AS ${quoted[4]},
               postcode AS ${quoted[5]}, city AS ${quoted[6]}, country AS ${quoted[7]}, billing AS ${quoted[8]}, shipping AS ${quoted[9]}
          FROM (
            SELECT id, 1 AS n, email, '' AS label, billing_street AS street, billing_number AS number, billing_extension AS extension,
                   billing_postcode AS postcode, billing_city AS city, billing_country AS country, 'yes' AS billing, CASE WHEN shipping_same_as_billing THEN 'yes' ELSE 'no' END AS shipping
              FROM customers WHERE billing_street <> ''
            UNION ALL
            SELECT id, 2, email, 'Werk', 'Industrieweg', (id % 400 + 1)::text, '', ((id % 8999) + 1000)::text || ' AB', 'Utrecht', 'NL', 'no', 'no'
              FROM customers
          ) AS a ORDER BY id, n
      ) TO STDOUT WITH (FORMAT csv, HEADER true)`)),
      createWriteStream(file),
    );
    const { size } = await stat(file);
    const rows = Number((await client.query(`SELECT count(*) FILTER (WHERE billing_street <> '') + count(*) AS rows FROM customers`)).rows[0].rows);
    return { rows, bytes: size };
  } finally {
    client.release();
  }
}

/** The address file's floor: COPY of it into a plain table of text columns. */
export async function addressCopyFloor(db: Database, file: string): Promise<number> {
  const client = await db.pool.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_address_floor');
    await client.query(`CREATE TABLE bench_address_floor (${addressHeadings.map((_, index) => `c${index} text`).join(', ')})`);
    const startedAt = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom('COPY bench_address_floor FROM STDIN WITH (FORMAT csv, HEADER true)')));
    const elapsed = performance.now() - startedAt;
    await client.query('DROP TABLE bench_address_floor');
    return elapsed;
  } finally {
    client.release();
  }
}
