/** The argon2 work of a password check for a login whose email matches no account. */
import { dummyPasswordHash } from './passwordParameters.ts'
import { type VerifyPasswordReturnType, verifyPassword } from './verifyPassword.ts'

export type DummyVerifyReturnType = Extract<VerifyPasswordReturnType, { ok: false }>

/**
 * A login for an unknown email must not answer faster than one for a known email with a wrong password: if it did,
 * anyone could learn which emails have accounts by timing the login form (account enumeration), and then aim
 * guessing and phishing at exactly those people. So the caller runs this where it would have run verifyPassword:
 * the same normalisation and the same argon2 work at today's cost, against a hash whose password nobody knows, and
 * the answer is always a failure. The rest is the caller's to keep alike: the same response ("wrong email or
 * password"), the same throttle (throttleKeys keys an unknown email like an account), and no early return before
 * this runs. (An account whose stored hash is older and cheaper still answers faster until its next login rehashes
 * it.)
 *
 * @example
 * const account = await readAccountCredentials(db, { email })
 * const result = account ? await verifyPassword(body.password, account.password_hash) : await dummyVerify(body.password)
 */
export async function dummyVerify(password: string): Promise<DummyVerifyReturnType> {
  await verifyPassword(password, dummyPasswordHash)
  // Never a success, whatever was typed: there is no account to log into.
  return { ok: false, needsRehash: false }
}
