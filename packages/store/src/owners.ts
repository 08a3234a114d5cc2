/** Owners and their API tokens (an owner is created with its first token). */
import type { Sql } from './Db.ts'
import { newId } from './newId.ts'
import { hashSecret, newSecret } from './secrets.ts'

export type OwnerRow = { id: string; name: string; created_at: Date }

export async function insertOwner(
  tx: Sql,
  name: string,
): Promise<{ owner: OwnerRow; token: string; tokenId: string }> {
  const id = newId('own')
  const [owner] = await tx.query<OwnerRow>('insert into owners (id, name) values ($1, $2) returning *', [
    id,
    name,
  ])
  const secret = newSecret('owner_token')
  const tokenId = newId('otk')
  await tx.query('insert into owner_tokens (id, owner_id, prefix, hash) values ($1, $2, $3, $4)', [
    tokenId,
    id,
    secret.prefix,
    secret.hash,
  ])
  return { owner: owner!, token: secret.secret, tokenId }
}

export async function findOwnerByToken(
  sql: Sql,
  token: string,
): Promise<{ ownerId: string; tokenId: string } | undefined> {
  const [row] = await sql.query<{ owner_id: string; id: string }>(
    `update owner_tokens set last_used_at = now()
      where hash = $1 and revoked_at is null
      returning owner_id, id`,
    [hashSecret(token)],
  )
  return row ? { ownerId: row.owner_id, tokenId: row.id } : undefined
}

export async function firstOwner(sql: Sql): Promise<OwnerRow | undefined> {
  const [row] = await sql.query<OwnerRow>('select * from owners order by created_at limit 1')
  return row
}
