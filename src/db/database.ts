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
      // A checked-out client whose connection breaks (database restart) emits 'error' besides
      // failing its query; without a listener that would crash the process.
      const onError = () => {};
      client.on('error', onError);
      let failure: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.off('error', onError);
        // A client that failed may have a broken connection: the pool replaces it.
        client.release(failure instanceof Error && !('code' in failure) ? failure : undefined);
      }
    },
    close: () => pool.end(),
  };
}
