/** Opens a session for an account after a successful login; the token is returned once and stored hashed. */
import type { Sql } from '../Db.ts'
import { newId } from '../newId.ts'
import { newSecret } from '../secrets.ts'
import { type SessionRow, sessionColumns } from './SessionRow.ts'

export type InsertSessionParameters = {
  accountId: string
  /** Absolute lifetime, from now (the database's clock). ADR 0007: 30 days. */
  ttlSeconds: number
  /** Idle lifetime: the session ends this long after its last use. ADR 0007: 7 days. */
  idleSeconds: number
  sourceAddress: string | null
  userAgent: string | null
}

/**
 * @example
 * const { session, secret } = await insertSession(tx, { accountId, ttlSeconds: 30 * 86_400, idleSeconds: 7 * 86_400,
 *   sourceAddress: request.ip, userAgent: request.headers['user-agent'] ?? null })
 * // set `secret` (bsr_ses_…) in the __Host- cookie; only its hash is stored
 */
export async function insertSession(
  tx: Sql,
  parameters: InsertSessionParameters,
): Promise<{ session: SessionRow; secret: string }> {
  const secret = newSecret('session')
  const [session] = await tx.query<SessionRow>(
    `insert into sessions (id, account_id, token_hash, expires_at, idle_seconds, source_address, user_agent)
     values ($1, $2, $3, now() + make_interval(secs => $4), $5, $6, $7) returning ${sessionColumns}`,
    [
      newId('ses'),
      parameters.accountId,
      secret.hash,
      parameters.ttlSeconds,
      parameters.idleSeconds,
      parameters.sourceAddress,
      parameters.userAgent,
    ],
  )
  return { session: session!, secret: secret.secret }
}
