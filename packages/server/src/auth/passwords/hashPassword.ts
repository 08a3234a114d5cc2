/** Hashes a new password (sign-up, reset, change, or a rehash at login) for storage. */
import { BursarError } from '@bursar/core/errors'
import { hash } from '@node-rs/argon2'
import { normalisePassword } from './normalisePassword.ts'
import { passwordHashOptions, passwordMinLength } from './passwordParameters.ts'

export type HashPasswordReturnType =
  /** `phc`: e.g. `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, parameters and salt included; store it as it is. */
  | { ok: true; phc: string }
  /** For the person to fix: say the bounds (12–1024 characters), never echo the password. */
  | { ok: false; reason: 'too_short' | 'too_long' | 'malformed' }

/**
 * argon2id at `passwordHashOptions` with a fresh 16-byte random salt, on the libuv thread pool so the event loop keeps
 * serving while it runs (10–15 ms on the dev box). The password is NFKC-normalised first and must be 12–1024 code
 * points; a refusal is a typed result rather than an exception, so no error object that might be logged ever holds
 * the password. Composition rules are deliberately absent (NIST SP 800-63B); checking against a list of breached
 * passwords is the caller's next step.
 *
 * Throws INTERNAL, without the password or the library's error as cause, only if argon2 itself fails.
 *
 * @example
 * const result = await hashPassword(body.password)
 * if (!result.ok) throw new BursarError('VALIDATION_FAILED', 'a password needs 12 to 1024 characters')
 * await createAccount(db, { email, passwordHash: result.phc })
 */
export async function hashPassword(password: string): Promise<HashPasswordReturnType> {
  const normal = normalisePassword(password)
  if (!normal.ok) return normal
  if (normal.length < passwordMinLength) return { ok: false, reason: 'too_short' }
  try {
    const phc = await hash(normal.normalised, passwordHashOptions)
    return { ok: true, phc }
  } catch {
    throw new BursarError('INTERNAL', 'password hashing failed')
  }
}
