import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DatabaseError } from '../src/index.ts'

describe.each(testDbKinds)('failed queries on %s carry no values', (kind) => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb(kind)
  })
  afterAll(() => t.drop())

  const secret = 'bsr_secret-hash-0123456789'

  test.each([
    ['a parameter that does not convert', () => t.db.query('select $1::int', [secret])],
    [
      'a unique violation (the key value is in the driver message)',
      async () => {
        await t.db
          .query(`insert into organisations (id, name) values ($1, 'x')`, [secret])
          .catch(() => undefined)
        await t.db.query(`insert into organisations (id, name) values ($1, 'x')`, [secret])
      },
    ],
    ['the same inside a transaction', () => t.db.transaction((tx) => tx.query('select $1::int', [secret]))],
  ])('error: %s → a DatabaseError with the SQLSTATE and statement, not the value', async (_name, run) => {
    const error = await Promise.resolve()
      .then(run as () => Promise<unknown>)
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(DatabaseError)
    expect((error as DatabaseError).code).toMatch(/^[0-9A-Z]{5}$/)
    expect((error as DatabaseError).statement).toMatch(/^b[0-9a-f]{20}$/)
    // Everything a logger would serialise: own properties, message, stack.
    const logged = JSON.stringify({
      ...(error as object),
      message: (error as Error).message,
      stack: (error as Error).stack,
    })
    expect(logged).not.toContain(secret)
  })
})
