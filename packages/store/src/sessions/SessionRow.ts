/** A login session as stored, without its token's hash: the token is returned once, at login. */
export type SessionRow = {
  id: string
  account_id: string
  created_at: Date
  /** The absolute end, whatever the use. */
  expires_at: Date
  /** The session also ends this long after it was last seen. */
  idle_seconds: number
  /** Kept to the minute: a request within a minute of the last one does not write. */
  last_seen_at: Date
  /** When a second factor was last proven in this session (step-up). */
  step_up_at: Date | null
  source_address: string | null
  user_agent: string | null
  revoked_at: Date | null
}

/** The columns of SessionRow, for a statement's select or returning list. */
export const sessionColumns =
  'id, account_id, created_at, expires_at, idle_seconds, last_seen_at, step_up_at, source_address, user_agent, revoked_at'

/** True for a session that may still be used: not revoked, not past its absolute or its idle expiry. */
export const sessionLive =
  'revoked_at is null and now() < expires_at and now() < last_seen_at + make_interval(secs => idle_seconds)'
