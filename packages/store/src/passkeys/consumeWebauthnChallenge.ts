/** Uses up a stored WebAuthn challenge, as a response to it arrives. */
import type { Sql } from '../Db.ts'
import type { WebauthnChallengePurpose, WebauthnChallengeRow } from './WebauthnChallengeRow.ts'

export type ConsumeWebauthnChallengeParameters = {
  /** Base64url, as echoed in the response's clientDataJSON. */
  challenge: string
  purpose: WebauthnChallengePurpose
  /** When given, the challenge must have been issued for this account. */
  accountId?: string | undefined
}

/**
 * One conditional update: of any number of concurrent calls with one challenge, exactly one gets the row, so a
 * replayed or raced response is refused. Undefined for a challenge that is unknown, already used, expired (by the
 * database's clock), issued for another purpose, or for another account than `accountId`. Call it outside the
 * transaction that may then fail, or a refused response would leave its challenge usable again.
 *
 * @example
 * const issued = await consumeWebauthnChallenge(db, { challenge: clientData.challenge, purpose: 'register', accountId })
 * if (!issued) throw new BursarError('PASSKEY_INVALID', '…', { details: { reason: 'challenge' } })
 */
export async function consumeWebauthnChallenge(
  sql: Sql,
  parameters: ConsumeWebauthnChallengeParameters,
): Promise<WebauthnChallengeRow | undefined> {
  const [row] = await sql.query<WebauthnChallengeRow>(
    `update webauthn_challenges set used_at = now()
      where challenge = $1 and purpose = $2 and ($3::text is null or account_id = $3)
        and used_at is null and expires_at > now()
      returning *`,
    [parameters.challenge, parameters.purpose, parameters.accountId ?? null],
  )
  return row
}
