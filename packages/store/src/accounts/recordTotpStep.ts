/** Spends a TOTP step: the one statement that makes a code work once. */
import type { Sql } from '../Db.ts'

export type RecordTotpStepOptions = {
  /** The code confirms a newly set secret (enrolment): accepted before TOTP is enabled, and enables it. */
  confirm?: boolean
}

/**
 * True when `step` (verifyTotp's `{ ok: true, step }`) is later than the last step used and is now recorded; false
 * when it is not later, or TOTP is not enabled (or, with `confirm`, no secret is set). The check and the write are one
 * `update … where totp_last_step < $step`: of two requests racing with one code, one passes.
 *
 * @example
 * const result = verifyTotp({ secret, code, now: new Date(), lastUsedStep: account.totp_last_step ?? undefined })
 * if (!result.ok || !(await recordTotpStep(tx, account.id, result.step))) throw new BursarError('FORBIDDEN', '…')
 */
export async function recordTotpStep(
  tx: Sql,
  accountId: string,
  step: number,
  options: RecordTotpStepOptions = {},
): Promise<boolean> {
  const rows = await tx.query(
    `update accounts set totp_last_step = $2, totp_enabled_at = coalesce(totp_enabled_at, now())
      where id = $1 and totp_secret is not null
        and ${options.confirm ? 'true' : 'totp_enabled_at is not null'}
        and (totp_last_step is null or totp_last_step < $2)
      returning id`,
    [accountId, step],
  )
  return rows.length === 1
}
