/**
 * TOTP enrolment in two steps: a new secret is sealed and shown once (otpauth URI and QR code); it becomes a second
 * factor only when the first code from the app confirms it, and that confirmation hands out the recovery codes.
 */
import { BursarError } from '@bursar/core/errors'
import type { SealedSecret } from '@bursar/keys/keystore'
import {
  appendAudit,
  getAccount,
  markStepUp,
  readTotpSecret,
  recordTotpStep,
  replaceRecoveryCodes,
  setTotp,
} from '@bursar/store'
import { createRecoveryCodes } from '../auth/totp/createRecoveryCodes.ts'
import { createTotpSecret } from '../auth/totp/createTotpSecret.ts'
import { openTotpSecret } from '../auth/totp/openTotpSecret.ts'
import { sealTotpSecret } from '../auth/totp/sealTotpSecret.ts'
import { totpQrSvg } from '../auth/totp/totpQrSvg.ts'
import { totpUri } from '../auth/totp/totpUri.ts'
import { verifyTotp } from '../auth/totp/verifyTotp.ts'
import type { ServerContext } from '../context.ts'
import { checkCurrentPassword } from './checkCurrentPassword.ts'

/**
 * Starts (or restarts, while unconfirmed) enrolment. TOTP_ALREADY_ENABLED once a secret is confirmed. Needs the
 * password: a stolen session alone must not plant its own second factor (it would lock the owner out and step up).
 */
export async function startTotpEnrolment(
  ctx: ServerContext,
  accountId: string,
  sessionId: string,
  password: string,
) {
  await checkCurrentPassword(ctx, { accountId, sessionId }, password)
  return ctx.db.transaction(async (tx) => {
    const account = await getAccount(tx, accountId, { forUpdate: true })
    if (!account) throw new BursarError('SESSION_EXPIRED', 'the account no longer exists')
    if (account.totp_enabled_at !== null)
      throw new BursarError('TOTP_ALREADY_ENABLED', 'TOTP is already enabled on this account')
    const secret = createTotpSecret()
    await setTotp(tx, accountId, sealTotpSecret(ctx.keystore, accountId, secret))
    const uri = totpUri({ secret, account: account.email.replaceAll(':', ''), issuer: 'Bursar' })
    return { uri, qr_svg: totpQrSvg(uri) }
  })
}

/** Confirms the secret with a first code; returns ten recovery codes, shown once. Counts as a step-up. */
export async function confirmTotp(ctx: ServerContext, accountId: string, sessionId: string, code: string) {
  return ctx.db.transaction(async (tx) => {
    const account = await getAccount(tx, accountId, { forUpdate: true })
    const sealed = await readTotpSecret(tx, accountId)
    if (!account || sealed === undefined)
      throw new BursarError('TOTP_NOT_ENROLLED', 'start TOTP enrolment first (POST /v1/auth/totp)')
    if (account.totp_enabled_at !== null)
      throw new BursarError('TOTP_ALREADY_ENABLED', 'TOTP is already enabled on this account')
    const result = verifyTotp({
      secret: openTotpSecret(ctx.keystore, accountId, sealed as SealedSecret),
      code,
      now: new Date(),
      lastUsedStep: account.totp_last_step ?? undefined,
    })
    if (!result.ok || !(await recordTotpStep(tx, accountId, result.step, { confirm: true })))
      throw new BursarError('TOTP_INVALID', 'the code is wrong or expired: type the one the app shows now', {
        details: { reason: result.ok ? 'replayed' : result.reason },
      })
    const recovery = createRecoveryCodes()
    await replaceRecoveryCodes(tx, accountId, recovery.hashes)
    await markStepUp(tx, sessionId)
    await appendAudit(tx, [
      {
        actor: { type: 'account', id: accountId },
        action: 'account.totp_enabled',
        subject: { type: 'account', id: accountId },
        data: { recovery_codes: recovery.codes.length },
      },
    ])
    return { recovery_codes: recovery.codes }
  })
}
