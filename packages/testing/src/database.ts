/** A fresh, migrated database per test file: its own PostgreSQL database, or an in-memory PGlite. */
import { randomBytes } from 'node:crypto'
import { createDatabase, createDb, type Db, dropDatabase, migrate } from '@bursar/store'
import { testDatabaseUrl } from './globalSetup.ts'

export type TestDbKind = 'postgres' | 'pglite'

/** Both kinds, for `describe.each(testDbKinds)`. */
export const testDbKinds: TestDbKind[] = ['postgres', 'pglite']

export type TestDb = { db: Db; url?: string; drop(): Promise<void> }

/** Creates an empty PostgreSQL database and returns its URL (no migrations). */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bursar_t_${randomBytes(6).toString('hex')}`
  await createDatabase(testDatabaseUrl, name)
  const url = new URL(testDatabaseUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => dropDatabase(testDatabaseUrl, name),
  }
}

export async function createTestDb(
  kind: TestDbKind = 'postgres',
  options: { maxConnections?: number } = {},
): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await createDb({ kind: 'pglite' })
    await migrate(db)
    return { db, drop: () => db.close() }
  }
  const database = await createTestDatabaseUrl()
  const db = await createDb({ kind: 'postgres', url: database.url, ...options })
  await migrate(db)
  return {
    db,
    url: database.url,
    drop: async () => {
      await db.close()
      await database.drop()
    },
  }
}
