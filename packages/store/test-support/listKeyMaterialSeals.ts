/** Test support: the sealed key material as stored. */
import type { Sql } from '../src/Db.ts'

/**
 * The `sealed` column of every key material row (the encrypted seed), for tests that check only ciphertext is
 * stored.
 *
 * @example const sealed = JSON.stringify(await listKeyMaterialSeals(db))
 */
export async function listKeyMaterialSeals(sql: Sql): Promise<{ sealed: unknown }[]> {
  return sql.query<{ sealed: unknown }>('select sealed from key_material')
}
