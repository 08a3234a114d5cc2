/** Opens the database: embedded PGlite (a directory, or memory) or a PostgreSQL server. */
import { createHash } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import pg from 'pg'
import { DatabaseError, isServerError } from './DatabaseError.ts'
import type { Db, Row, Sql } from './Db.ts'

export type CreateDbParameters =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  | { kind: 'pglite'; dataDir?: string /* omitted: in memory */ }

// int8 as number (sequence numbers, nonces, block numbers stay far below 2^53); numeric stays a string.
const int8 = (value: string) => Number(value)

const retryableCodes = new Set(['40001', '40P01'])
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P03',
  // too_many_connections: the server is full, which a client sees as an outage (503), not a bug (500).
  '53300',
  '08006',
  '08001',
])

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return typeof code === 'string' && unavailableCodes.has(code)
}

function toDbError(error: unknown): unknown {
  if (isUnavailable(error)) {
    // The cause stays out: a connection error may name the server, never a value, but keep it short anyway.
    return new BursarError('DATABASE_UNAVAILABLE', 'the database is unreachable')
  }
  return error
}

/** Replaces a driver's error with one that names the statement and the SQLSTATE but carries no value. */
function sanitize(error: unknown, text: string): unknown {
  if (error instanceof DatabaseError || !isServerError(error)) return error
  const name = preparable.test(text) ? statementName(text) : text.trim().split(/\s+/).slice(0, 3).join(' ')
  return new DatabaseError(error, name)
}

/**
 * @example const db = await createDb({ kind: 'pglite', dataDir: './.bursar/db' })
 */
export async function createDb(parameters: CreateDbParameters): Promise<Db> {
  return parameters.kind === 'postgres' ? createPostgresDb(parameters) : createPgliteDb(parameters)
}

async function withRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      const code = (error as { code?: string } | null)?.code
      if (attempt < 8 && typeof code === 'string' && retryableCodes.has(code)) {
        await new Promise((resolve) => setTimeout(resolve, 2 ** attempt + Math.random() * 5))
        continue
      }
      throw toDbError(error)
    }
  }
}

// Named (prepared) statements skip parse and plan on every later use of the same text on a connection, which is
// most of PostgreSQL's CPU on the short queries of the hot path. Only DML is named: migrations stay unnamed.
const preparable = /^\s*(select|insert|update|delete|with)\b/i
const statementNames = new Map<string, string>()

function statementName(text: string): string {
  let name = statementNames.get(text)
  if (!name) {
    name = `b${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    if (statementNames.size > 5000) statementNames.clear()
    statementNames.set(text, name)
  }
  return name
}

function statement(text: string, values: readonly unknown[] | undefined): pg.QueryConfig {
  if (!preparable.test(text)) return { text, values: values as unknown[] }
  return { name: statementName(text), text, values: values as unknown[] }
}

function createPostgresDb(parameters: { url: string; maxConnections?: number }): Db {
  const pool = new pg.Pool({
    connectionString: parameters.url,
    max: parameters.maxConnections ?? 20,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? int8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {})
  const query = async <T extends Row>(text: string, params?: readonly unknown[]) => {
    try {
      const result = await pool.query(statement(text, params))
      return result.rows as T[]
    } catch (error) {
      throw toDbError(sanitize(error, text))
    }
  }
  return {
    kind: 'postgres',
    query,
    transaction: (fn) =>
      withRetry(async () => {
        const client = await pool.connect()
        // A connection lost while checked out emits 'error' on the client; unheard, that would crash the process.
        let lost: Error | undefined
        const onError = (error: Error) => {
          lost = error
        }
        client.on('error', onError)
        const tx: Sql = {
          query: async <T extends Row>(text: string, params?: readonly unknown[]) => {
            try {
              return (await client.query(statement(text, params))).rows as T[]
            } catch (error) {
              throw sanitize(error, text)
            }
          },
        }
        try {
          await client.query('begin')
          const result = await fn(tx)
          await client.query('commit')
          return result
        } catch (error) {
          await client.query('rollback').catch(() => {})
          throw error
        } finally {
          client.off('error', onError)
          // A broken connection is destroyed, not returned to the pool.
          client.release(lost ?? false)
        }
      }),
    close: () => pool.end(),
  }
}

async function createPgliteDb(parameters: { dataDir?: string }): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite')
  const lite = new PGlite({
    ...(parameters.dataDir === undefined ? {} : { dataDir: parameters.dataDir }),
    parsers: { 20: int8, 1700: (value: string) => value },
  })
  await lite.waitReady
  const run = async <T extends Row>(
    target: { query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }> },
    text: string,
    params?: readonly unknown[],
  ) => {
    try {
      return (await target.query<T>(text, params as unknown[])).rows
    } catch (error) {
      throw sanitize(error, text)
    }
  }
  return {
    kind: 'pglite',
    query: <T extends Row>(text: string, params?: readonly unknown[]) => run<T>(lite, text, params),
    // PGlite runs one transaction at a time, so row locks never contend here.
    transaction: (fn) =>
      withRetry(() =>
        lite.transaction((liteTx) =>
          fn({
            query: <T extends Row>(text: string, params?: readonly unknown[]) => run<T>(liteTx, text, params),
          }),
        ),
      ),
    close: () => lite.close(),
  }
}
