/** Sealed (envelope-encrypted) key material. Only ciphertext is ever stored. */
import type { Sql } from './Db.ts'

export type KeyMaterialRow = { id: string; kind: 'master_seed'; sealed: unknown; created_at: Date }

export async function insertKeyMaterial(tx: Sql, id: string, sealed: unknown): Promise<void> {
  await tx.query(`insert into key_material (id, kind, sealed) values ($1, 'master_seed', $2)`, [
    id,
    JSON.stringify(sealed),
  ])
}

/**
 * Holds, until the transaction ends, the lock under which a master seed is created: two processes starting on an
 * empty database must agree on one seed (the second finds the first's with getMasterSeed after the wait).
 */
export async function lockKeyMaterialCreation(tx: Sql): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(7442020)')
}

export async function getMasterSeed(sql: Sql): Promise<KeyMaterialRow | undefined> {
  const [row] = await sql.query<KeyMaterialRow>(
    `select * from key_material where kind = 'master_seed' order by created_at limit 1`,
  )
  return row
}
