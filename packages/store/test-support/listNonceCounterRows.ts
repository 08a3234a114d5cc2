/** Test support: the next nonce of every chain, read straight from the table. */
import type { Sql } from '../src/Db.ts'

/**
 * Each nonce counter's chain and next nonce (addresses left out), in the database's order. For tests.
 *
 * @example expect(await listNonceCounterRows(db)).toEqual([{ chain: 'evm:31337', next_nonce: 4 }])
 */
export async function listNonceCounterRows(sql: Sql): Promise<{ chain: string; next_nonce: number }[]> {
  return sql.query<{ chain: string; next_nonce: number }>('select chain, next_nonce from nonce_counters')
}
