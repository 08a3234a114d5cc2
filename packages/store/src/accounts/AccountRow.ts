/**
 * An account (a person) without its secrets: no password hash, no TOTP secret (readAccountCredentials and
 * readTotpSecret return those, where they are needed). Still the server's own view: routes choose what to send.
 */
export type AccountRow = {
  id: string
  /** As typed at sign-up; unique case-folded. */
  email: string
  /** The first account to sign up; the global halt is its alone. */
  instance_admin: boolean
  /** The step of the last TOTP code accepted: no code of it or an earlier step is accepted again. */
  totp_last_step: number | null
  /** When the first code confirmed the secret; until then it is no second factor. */
  totp_enabled_at: Date | null
  created_at: Date
}

/** The columns of an AccountRow, for `select` and `returning`: never `*`, which would carry the secrets along. */
export const accountColumns = 'id, email, instance_admin, totp_last_step, totp_enabled_at, created_at'
