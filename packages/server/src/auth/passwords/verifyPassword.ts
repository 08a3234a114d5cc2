/** Checks a password typed at login against an account's stored argon2 hash. */
import { BursarError } from '@bursar/core/errors'
import { type ParsedHashOptions, parseOptions, verify } from '@node-rs/argon2'
import { normalisePassword } from './normalisePassword.ts'
import { maxStoredPasswordCost, passwordHashOptions, passwordSaltBytes } from './passwordParameters.ts'

/** `needsRehash`: the stored hash is weaker than today's; hash the password again and store the new hash. */
export type VerifyPasswordReturnType = { ok: true; needsRehash: boolean } | { ok: false; needsRehash: false }

// Our hashes are about 100 characters; a stored value far longer is not one of ours.
const maxStoredLength = 512

/**
 * The password is NFKC-normalised as hashPassword did, and compared by the library (the Rust `argon2` crate, whose
 * comparison of the derived hash is constant-time), so how long a wrong password takes says nothing about how close
 * it was. The minimum length is not enforced here: a password set under an older, shorter minimum still verifies.
 * Input that hashPassword could never have accepted (over 1024 characters, a lone surrogate) is refused without
 * argon2 work; dummyVerify takes the same path, so that does not tell known accounts from unknown ones.
 *
 * `needsRehash` is true when the stored hash was made with less than `passwordHashOptions` (memory, passes, output
 * or salt length), another argon2 variant or version: right after a successful login is the only moment the
 * password is at hand to upgrade it. Parallelism is not compared: it splits the same memory into lanes, which
 * changes how fast we compute, not what an attacker pays. A stored hash stronger than today's is left as it is.
 *
 * Throws INTERNAL, quoting neither the hash nor the password, when the stored value is not an argon2 PHC string or
 * asks for more than `maxStoredPasswordCost`: that is corruption or tampering, not a wrong password.
 *
 * @example
 * const result = account ? await verifyPassword(body.password, account.password_hash) : await dummyVerify(body.password)
 * if (result.ok && result.needsRehash) {
 *   const rehashed = await hashPassword(body.password) // refused if it predates today's minimum length
 *   if (rehashed.ok) await savePasswordHash(db, account.id, rehashed.phc)
 * }
 */
export async function verifyPassword(password: string, phc: string): Promise<VerifyPasswordReturnType> {
  const stored = storedOptions(phc)
  const normal = normalisePassword(password)
  if (!normal.ok) return { ok: false, needsRehash: false }
  let matches: boolean
  try {
    matches = await verify(phc, normal.normalised)
  } catch {
    // The library's message is not kept as cause: nothing it might say about the inputs may reach a log.
    throw new BursarError('INTERNAL', 'password check: the stored password hash is unusable')
  }
  if (!matches) return { ok: false, needsRehash: false }
  return { ok: true, needsRehash: isWeaker(stored) }
}

/** The parameters of a stored hash, refused before argon2 allocates anything for them. */
function storedOptions(phc: string): ParsedHashOptions {
  let options: ParsedHashOptions | undefined
  if (typeof phc === 'string' && phc.length <= maxStoredLength) {
    try {
      options = parseOptions(phc)
    } catch {
      options = undefined
    }
  }
  if (!options) {
    throw new BursarError('INTERNAL', 'password check: the stored password hash is not an argon2 PHC string')
  }
  // argon2 allocates `m` KiB before comparing: a corrupt m=4 GiB row would otherwise take the process down.
  if (
    options.memoryCost > maxStoredPasswordCost.memoryCost ||
    options.timeCost > maxStoredPasswordCost.timeCost ||
    options.parallelism > maxStoredPasswordCost.parallelism
  ) {
    throw new BursarError('INTERNAL', 'password check: the stored password hash asks for an unbounded cost')
  }
  return options
}

function isWeaker(stored: ParsedHashOptions): boolean {
  return (
    stored.algorithm !== passwordHashOptions.algorithm ||
    stored.version !== passwordHashOptions.version ||
    stored.memoryCost < passwordHashOptions.memoryCost ||
    stored.timeCost < passwordHashOptions.timeCost ||
    stored.outputLen < passwordHashOptions.outputLen ||
    stored.saltLen < passwordSaltBytes
  )
}
