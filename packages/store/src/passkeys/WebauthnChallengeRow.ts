/** A WebAuthn challenge as stored: issued once, answered once, until it expires. */
export type WebauthnChallengePurpose = 'register' | 'authenticate'

export type WebauthnChallengeRow = {
  id: string
  /** Base64url, as the browser echoes it in clientDataJSON. */
  challenge: string
  /** The account registering, or the account asked to authenticate; null for a discoverable-credential login. */
  account_id: string | null
  purpose: WebauthnChallengePurpose
  expires_at: Date
  used_at: Date | null
  created_at: Date
}
