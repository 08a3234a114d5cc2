/** Checks a TOTP code typed by a person against the account's secret, refusing a code of a step already used. */
import { BursarError } from '@bursar/core/errors'
import { verifySync } from 'otplib'
import { totpAlgorithm, totpDigits, totpPeriodSeconds } from './totpParameters.ts'

export type VerifyTotpParameters = {
  /** Base32, as opened by openTotpSecret. */
  secret: string
  /** As typed: six ASCII digits; whitespace anywhere is ignored ("123 456", pasted with a newline). */
  code: string
  now: Date
  /** The step of the last code this account used (from the last `{ ok: true, step }`); undefined before the first. */
  lastUsedStep?: number | undefined
}

export type VerifyTotpReturnType =
  | { ok: true; step: number }
  | { ok: false; reason: 'invalid' | 'replayed' | 'malformed' }

// Longer input is refused before any work; a code with generous spacing is still far shorter.
const maxCodeLength = 32
const codePattern = /^[0-9]{6}$/

/**
 * Accepts the code of the current 30-second step or of the step before or after it (RFC 6238 §5.2 recommends at most
 * one step of network delay; a phone's clock a few seconds off needs the one after), and nothing further: a
 * 6-digit code is guessed with probability 3 in a million per try across the three steps, so the caller must also
 * throttle attempts.
 *
 * A code whose step is at or before `lastUsedStep` is refused as `replayed`, even within the window, so a code seen
 * over a shoulder or in a log cannot be used again. On `{ ok: true, step }` the caller stores `step` as the new
 * `lastUsedStep`, atomically with accepting (e.g. `UPDATE … WHERE last_used_step < $step`), or two requests racing
 * with one code could both pass. `malformed` is for input that cannot be a code at all; the comparison of codes is
 * otplib's constant-time one.
 *
 * No I/O; the clock is `now`. Throws INTERNAL (without the secret) only when the stored secret or `lastUsedStep` is
 * corrupt, never for anything a person typed.
 *
 * @example
 * const result = verifyTotp({ secret, code: '287 082', now: new Date(), lastUsedStep: account.totpLastStep })
 * if (result.ok) await saveTotpStep(db, account.id, result.step)
 */
export function verifyTotp(parameters: VerifyTotpParameters): VerifyTotpReturnType {
  const { secret, code, now, lastUsedStep } = parameters
  if (typeof code !== 'string' || code.length > maxCodeLength) return { ok: false, reason: 'malformed' }
  const token = code.replace(/\s/g, '')
  if (!codePattern.test(token)) return { ok: false, reason: 'malformed' }

  const epoch = Math.floor(now.getTime() / 1000)
  if (!Number.isSafeInteger(epoch) || epoch < 0)
    throw new BursarError('INTERNAL', 'TOTP check: invalid clock')
  if (lastUsedStep !== undefined && !(Number.isSafeInteger(lastUsedStep) && lastUsedStep >= 0)) {
    throw new BursarError('INTERNAL', 'TOTP check: the stored last used step is not a step number')
  }
  const newestStep = Math.floor(epoch / totpPeriodSeconds) + 1
  // A tolerance of one period in seconds covers exactly the steps before and after the current one, wherever in its
  // step `now` falls (the tests pin this at both edges of a step).
  const window = {
    secret,
    token,
    epoch,
    algorithm: totpAlgorithm,
    digits: totpDigits,
    period: totpPeriodSeconds,
    epochTolerance: totpPeriodSeconds,
  } as const

  // A stored step past the window (a clock set back) leaves no fresh step; otplib would throw rather than say so.
  const freshSteps = lastUsedStep === undefined || lastUsedStep < newestStep
  if (freshSteps) {
    const step = matchedStep(lastUsedStep === undefined ? window : { ...window, afterTimeStep: lastUsedStep })
    if (step !== undefined) return { ok: true, step }
  }
  // Checked apart, so that a used code is told from a wrong one (the person waits for the next code instead of
  // retyping this one); only someone who already had a right code learns anything from it.
  if (lastUsedStep !== undefined && matchedStep(window) !== undefined)
    return { ok: false, reason: 'replayed' }
  return { ok: false, reason: 'invalid' }
}

/** The step whose code `options.token` is, or undefined. */
function matchedStep(options: Parameters<typeof verifySync>[0]): number | undefined {
  let result: ReturnType<typeof verifySync>
  try {
    result = verifySync(options)
  } catch {
    // otplib's messages can quote the secret (a base32 error names the offending letter), so none is kept as cause.
    throw new BursarError('INTERNAL', 'TOTP check: the stored secret is unusable')
  }
  // otplib types its result for HOTP and TOTP alike; a TOTP match always carries its step.
  return result.valid && 'timeStep' in result ? result.timeStep : undefined
}
