/** An account (a person) as stored, credentials included: keep rows inside the server, never send one as it is. */
export type AccountRow = {
  id: string
  /** As typed at sign-up; unique case-folded. */
  email: string
  /** argon2id, PHC string. */
  password_hash: string
  /** The first account to sign up; the global halt is its alone. */
  instance_admin: boolean
  /** The TOTP secret sealed by the keystore, bound to the account id (JSON as sealed); null: no TOTP. */
  totp_secret: unknown
  /** The step of the last TOTP code accepted: no code of it or an earlier step is accepted again. */
  totp_last_step: number | null
  /** When the first code confirmed the secret; until then it is no second factor. */
  totp_enabled_at: Date | null
  created_at: Date
}
