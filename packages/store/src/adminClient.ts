/** One short-lived connection to a PostgreSQL server for statements that manage databases (outside any pool). */
import { BursarError } from '@bursar/core/errors'
import pg from 'pg'

/** A database name is part of the statement's text (it cannot be a parameter): only a plain identifier passes. */
export function assertDatabaseName(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new BursarError('INTERNAL', 'invalid database name', { details: { name } })
  }
}

export async function withAdminClient<T>(
  adminUrl: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}
