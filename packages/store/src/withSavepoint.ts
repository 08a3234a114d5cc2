/** Runs part of a transaction so that its failure undoes only that part: the rest of the transaction goes on. */
import { BursarError } from '@bursar/core/errors'
import type { Sql } from './Db.ts'

/**
 * `fn`'s writes are kept when it returns and rolled back to the savepoint when it throws (the error is rethrown).
 *
 * @example
 * try { await withSavepoint(tx, 'sign_group', () => signGroup(tx)) } catch { await postpone(tx) }
 */
export async function withSavepoint<T>(tx: Sql, name: string, fn: () => Promise<T>): Promise<T> {
  // The name is part of the statement's text: only a plain identifier gets there.
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new BursarError('INTERNAL', 'invalid savepoint name', { details: { name } })
  }
  await tx.query(`savepoint ${name}`)
  try {
    const result = await fn()
    await tx.query(`release savepoint ${name}`)
    return result
  } catch (error) {
    await tx.query(`rollback to savepoint ${name}`)
    throw error
  }
}
