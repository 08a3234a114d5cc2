/** Stores a challenge just issued in WebAuthn options, so that the response to it can be checked and used once. */
import { randomBytes } from 'node:crypto'
import type { Sql } from '../Db.ts'
import type { WebauthnChallengePurpose, WebauthnChallengeRow } from './WebauthnChallengeRow.ts'

export type InsertWebauthnChallengeParameters = {
  /** Base64url, as in the options sent to the browser. */
  challenge: string
  /** Required to register; null to authenticate someone not yet named. */
  accountId: string | null
  purpose: WebauthnChallengePurpose
  expiresAt: Date
}

/**
 * The challenge must be fresh randomness (the library's options generator makes 32 bytes); a repeated one is refused
 * by the unique constraint rather than silently shared.
 *
 * @example
 * const options = await generateAuthenticationOptions({ rpID })
 * await insertWebauthnChallenge(db, { challenge: options.challenge, accountId: null, purpose: 'authenticate',
 *   expiresAt: new Date(Date.now() + 5 * 60_000) })
 */
export async function insertWebauthnChallenge(
  sql: Sql,
  parameters: InsertWebauthnChallengeParameters,
): Promise<WebauthnChallengeRow> {
  const [row] = await sql.query<WebauthnChallengeRow>(
    `insert into webauthn_challenges (id, challenge, account_id, purpose, expires_at)
     values ($1, $2, $3, $4, $5) returning *`,
    [challengeId(), parameters.challenge, parameters.accountId, parameters.purpose, parameters.expiresAt],
  )
  return row!
}

// Shaped like newId's ids (time-ordered, prefixed); newId's prefixes do not name challenges yet.
function challengeId(): string {
  return `wch_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`
}
