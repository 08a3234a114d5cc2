/** Test support: a database handle that counts the statements reading one table. */
import type { Db } from '../src/Db.ts'

export type CountTableReadsReturnType = {
  /** Use in place of the original; transactions and close go straight through. */
  db: Db
  /** How many statements run through `db.query` so far read `from <table>`. */
  reads(): number
}

/**
 * Wraps `db` so a test can count how often code under test reads `table` (for instance that many subscribers
 * share one poll) without naming any SQL itself. Statements inside `db.transaction` are not counted.
 *
 * @example const { db: counted, reads } = countTableReads(db, 'audit_log')
 */
export function countTableReads(db: Db, table: string): CountTableReadsReturnType {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`)
  const pattern = new RegExp(`from ${table}\\b`, 'i')
  let count = 0
  const counted: Db = Object.assign(Object.create(db) as Db, {
    query: ((text: string, params?: readonly unknown[]) => {
      if (pattern.test(text)) count++
      return db.query(text, params)
    }) as Db['query'],
  })
  return { db: counted, reads: () => count }
}
