import pg from 'pg';

/** A connection pool and the transaction helper. Services own transactions; repositories take the client. */
export type Queryable = Pick<pg.PoolClient, 'query'>;
export type Database = {
  pool: pg.Pool;
  transaction: <T>(work: (tx: pg.PoolClient) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

// Return bigint ids and counts as JS numbers (they stay far below 2^53) and dates as ISO strings.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1082, (value) => value);

export function createDatabase(url: string, maxConnections = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  return {
    pool,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
