/**
 * Checks a second factor given in a request (TOTP code, recovery code or passkey assertion) for one account, and
 * uses it up: a TOTP step, a recovery code and a passkey challenge each count once, even for requests racing.
 */

import { BursarError, isBursarError } from '@bursar/core/errors'
import type { SealedSecret } from '@bursar/keys/keystore'
import type { ApprovalFactor } from '@bursar/store'
import {
  appendAudit,
  beginLoginAttempt,
  clearLoginFailures,
  getAccount,
  listRecoveryCodes,
  readTotpSecret,
  recordTotpStep,
  useRecoveryCodeSlot,
} from '@bursar/store'
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import type { FastifyRequest } from 'fastify'
import { finishPasskeyAuthentication } from '../auth/passkeys/finishPasskeyAuthentication.ts'
import { relyingParty } from '../auth/relyingParty.ts'
import { openTotpSecret } from '../auth/totp/openTotpSecret.ts'
import { useRecoveryCode } from '../auth/totp/useRecoveryCode.ts'
import { verifyTotp } from '../auth/totp/verifyTotp.ts'
import type { ServerContext } from '../context.ts'

export type SecondFactorProof =
  | { totp_code: string }
  | { recovery_code: string }
  | { passkey: Record<string, unknown> }

/**
 * Returns which factor passed, or throws TOTP_INVALID / PASSKEY_INVALID (nothing used up), or TOTP_NOT_ENROLLED when
 * the account has no confirmed TOTP secret for a code. Codes are throttled like logins, under their own key per
 * account (`factor:acc_…`), so a six-digit code cannot be guessed by trying them all; a success clears the count.
 * The checks write with `ctx.db`, outside the caller's transaction, so a refusal later in that transaction cannot
 * hand a used code back.
 */
export async function proveSecondFactor(
  ctx: ServerContext,
  request: FastifyRequest,
  accountId: string,
  proof: SecondFactorProof,
): Promise<ApprovalFactor> {
  try {
    return await checkSecondFactor(ctx, request, accountId, proof)
  } catch (error) {
    // A wrong, replayed or throttled code is worth knowing about: someone holding the session may be guessing.
    if (isBursarError(error))
      await appendAudit(ctx.db, [
        {
          actor: { type: 'account', id: accountId },
          action: 'account.second_factor_refused',
          subject: { type: 'account', id: accountId },
          data: {
            code: error.code,
            factor: 'passkey' in proof ? 'passkey' : 'totp_code' in proof ? 'totp' : 'recovery',
          },
        },
      ])
    throw error
  }
}

async function checkSecondFactor(
  ctx: ServerContext,
  request: FastifyRequest,
  accountId: string,
  proof: SecondFactorProof,
): Promise<ApprovalFactor> {
  if ('passkey' in proof) {
    await finishPasskeyAuthentication(
      ctx.db,
      relyingParty(ctx, request),
      proof.passkey as unknown as AuthenticationResponseJSON,
      { accountId },
    )
    return 'passkey'
  }
  const key = `factor:${accountId}`
  const attempt = await beginLoginAttempt(ctx.db, [key])
  if (!attempt.allowed)
    throw new BursarError('LOGIN_THROTTLED', 'too many wrong codes for this account: wait, then try again', {
      details: { retry_after_seconds: attempt.retryAfterSeconds },
    })
  if ('totp_code' in proof) {
    const account = await getAccount(ctx.db, accountId)
    const sealed = await readTotpSecret(ctx.db, accountId)
    if (!account?.totp_enabled_at || sealed === undefined)
      throw new BursarError('TOTP_NOT_ENROLLED', 'this account has no TOTP enabled: enrol one first')
    const secret = openTotpSecret(ctx.keystore, accountId, sealed as SealedSecret)
    const result = verifyTotp({
      secret,
      code: proof.totp_code,
      now: new Date(),
      lastUsedStep: account.totp_last_step ?? undefined,
    })
    if (!result.ok || !(await recordTotpStep(ctx.db, accountId, result.step)))
      throw new BursarError('TOTP_INVALID', 'the code is wrong, expired or already used', {
        details: { reason: result.ok ? 'replayed' : result.reason },
      })
    await clearLoginFailures(ctx.db, [key])
    return 'totp'
  }
  const index = useRecoveryCode(proof.recovery_code, await listRecoveryCodes(ctx.db, accountId))
  if (index === undefined || !(await useRecoveryCodeSlot(ctx.db, accountId, index)))
    throw new BursarError('TOTP_INVALID', 'the recovery code is unknown or already used', {
      details: { reason: 'recovery_code' },
    })
  await clearLoginFailures(ctx.db, [key])
  return 'recovery'
}
