/** Opens the database: embedded PGlite (a directory, or memory) or a PostgreSQL server. */
import { createHash } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import pg from 'pg'
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
  '08006',
  '08001',
])

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return typeof code === 'string' && unavailableCodes.has(code)
}

function toDbError(error: unknown): unknown {
  if (isUnavailable(error)) {
    return new BursarError('DATABASE_UNAVAILABLE', 'the database is unreachable', { cause: error })
  }
  return error
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

function statement(text: string, values: readonly unknown[] | undefined): pg.QueryConfig {
  if (!preparable.test(text)) return { text, values: values as unknown[] }
  let name = statementNames.get(text)
  if (!name) {
    name = `b${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    if (statementNames.size > 5000) statementNames.clear()
    statementNames.set(text, name)
  }
  return { name, text, values: values as unknown[] }
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
      throw toDbError(error)
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
          query: async <T extends Row>(text: string, params?: readonly unknown[]) =>
            (await client.query(statement(text, params))).rows as T[],
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
  return {
    kind: 'pglite',
    query: async <T extends Row>(text: string, params?: readonly unknown[]) =>
      (await lite.query<T>(text, params as unknown[])).rows,
    // PGlite runs one transaction at a time, so row locks never contend here.
    transaction: (fn) =>
      withRetry(() =>
        lite.transaction((liteTx) =>
          fn({
            query: async <T extends Row>(text: string, params?: readonly unknown[]) =>
              (await liteTx.query<T>(text, params as unknown[])).rows,
          }),
        ),
      ),
    close: () => lite.close(),
  }
}
