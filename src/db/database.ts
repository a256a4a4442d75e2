import pg from 'pg';

/** A connection pool and the transaction helper. Services own transactions; repositories take the client. */
export type Queryable = Pick<pg.PoolClient, 'query'>;
export type Database = {
  pool: pg.Pool;
  /** The connection string, for what needs a connection of its own (readiness). */
  url: string;
  transaction: <T>(work: (tx: pg.PoolClient) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

// Return bigint ids and counts as JS numbers (they stay far below 2^53) and dates as ISO strings.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1082, (value) => value);

/**
 * Whether an error says the connection to PostgreSQL is gone or cannot be made (the server is
 * restarting, shutting down, failing over, or unreachable), as opposed to a query that failed.
 */
export function isConnectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08: connection exceptions.
    if (['57P01', '57P02', '57P03'].includes(code) || code.startsWith('08')) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code))
      return true;
  }
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  );
}

/**
 * Emitted on a transaction's client once its COMMIT has succeeded (never after a rollback), for
 * what must happen only when the change is visible to others: a job enqueued in the transaction
 * wakes this process's worker then (pg-boss.queue.ts).
 */
export const committedEvent = 'clientele:committed';

/** PostgreSQL cancelled the statement: it ran past `statement_timeout` (57014 query_canceled). */
export const isStatementTimeout = (error: unknown): boolean =>
  (error as { code?: unknown } | undefined)?.code === '57014';

/**
 * Runs read-only `work` on one connection in a transaction whose statements PostgreSQL cancels
 * after `timeoutMs` (`SET LOCAL`, so the pooled connection keeps its default afterwards). For
 * the queries whose cost depends on what a user typed (the customer list and search): under
 * load, one that runs away must not hold a connection the other requests are waiting for.
 */
export async function withStatementTimeout<T>(
  db: Pick<Database, 'pool'>,
  timeoutMs: number,
  work: (client: Queryable) => Promise<T>,
): Promise<T> {
  const client = await db.pool.connect();
  const onError = () => {};
  client.on('error', onError);
  let failure: unknown;
  try {
    // One round trip: a simple query may hold several statements.
    await client.query(
      `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`,
    );
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', onError);
    client.release(failure instanceof Error && !('code' in failure) ? failure : undefined);
  }
}

export function createDatabase(url: string, maxConnections = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  return {
    pool,
    url,
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
        client.emit(committedEvent);
        return result;
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.removeAllListeners(committedEvent);
        client.off('error', onError);
        // A client that failed may have a broken connection: the pool replaces it.
        client.release(failure instanceof Error && !('code' in failure) ? failure : undefined);
      }
    },
    close: () => pool.end(),
  };
}
