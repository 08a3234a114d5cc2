/** Step-up: a sensitive action needs a second factor proven in the last few minutes, not just a session. */
import { BursarError } from '@bursar/core/errors'
import type { SessionRow } from '@bursar/store'

/** How long a proven second factor counts for sensitive actions. */
export const stepUpSeconds = 5 * 60

export function requireStepUp(session: SessionRow, now = new Date()): void {
  const proven = session.step_up_at
  if (proven !== null && now.getTime() - proven.getTime() <= stepUpSeconds * 1000) return
  throw new BursarError(
    'SECOND_FACTOR_REQUIRED',
    'this action needs a second factor proven in the last 5 minutes: POST /v1/auth/step-up first',
    { details: { factors: ['totp', 'passkey', 'recovery'] } },
  )
}
