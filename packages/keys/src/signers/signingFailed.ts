/** The one error for a rejected private key, built so that no key material can reach it. */
import { BursarError } from '@bursar/core/errors'

export function signingFailed(reason: string): BursarError {
  return new BursarError('INTERNAL', `signing failed: ${reason}`)
}
