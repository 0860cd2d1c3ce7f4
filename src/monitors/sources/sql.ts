// Depth from a SQL count (Laravel's `database` queue driver keeps `jobs` and `failed_jobs`):
// PostgreSQL via pg, MySQL/MariaDB via mysql2, chosen by the URL scheme. The schema only admits
// select/with; the session is also put in read-only mode, so a clever query still cannot write.
// The drivers are loaded on first use: most deployments have no SQL monitor, and loading both
// costs ~0.1 s of CPU at every start (start → ready is budgeted at 3 s).
import type { EnvLookup } from '../load.js';
import type { SqlSource } from '../schema.js';
import { redactError, toDepth, urlFrom } from './common.js';

const TIMEOUT_MS = 5000;

export async function readSqlDepth(source: SqlSource, env: EnvLookup): Promise<number> {
  const url = urlFrom(env, source.url_env);
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  try {
    if (scheme === 'postgres' || scheme === 'postgresql') return oneCell(await queryPostgres(url, source.query));
    if (scheme === 'mysql' || scheme === 'mariadb') return oneCell(await queryMysql(url, source.query));
  } catch (err) {
    throw new Error(`sql via $${source.url_env}: ${redactError(err, url)}`);
  }
  throw new Error(`sql via $${source.url_env}: unsupported URL scheme "${scheme}" (postgres://, postgresql://, mysql:// or mariadb://)`);
}

async function queryPostgres(url: string, query: string): Promise<unknown[][]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS, options: '-c default_transaction_read_only=on' });
  client.on('error', () => {}); // a dropped connection after the query is not this reading's problem
  await client.connect();
  try {
    const result = await client.query({ text: query, rowMode: 'array' });
    return result.rows as unknown[][];
  } finally {
    await client.end();
  }
}

async function queryMysql(url: string, query: string): Promise<unknown[][]> {
  const { default: mysql } = await import('mysql2/promise');
  // mysql2 knows mysql:// only; MariaDB speaks the same protocol.
  const connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/i, 'mysql:'), connectTimeout: TIMEOUT_MS });
  try {
    await connection.query('SET SESSION TRANSACTION READ ONLY');
    const [rows] = await connection.query({ sql: query, rowsAsArray: true, timeout: TIMEOUT_MS });
    return rows as unknown[][];
  } finally {
    await connection.end();
  }
}

function oneCell(rows: unknown[][]): number {
  if (rows.length !== 1 || rows[0]!.length !== 1) {
    throw new Error(`query must return one row with one column, got ${rows.length} row(s)${rows[0] ? ` of ${rows[0].length} column(s)` : ''}`);
  }
  return toDepth(rows[0]![0], 'query result');
}
