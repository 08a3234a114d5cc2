/** The refusal for a password the hasher will not take: the bounds, never the password. */
import { BursarError } from '@bursar/core/errors'

export function passwordError(reason: 'too_short' | 'too_long' | 'malformed'): BursarError {
  return new BursarError(
    'PASSWORD_TOO_WEAK',
    reason === 'malformed'
      ? 'the password must be well-formed text'
      : 'the password must be 12 to 1024 characters long',
    { details: { reason } },
  )
}
