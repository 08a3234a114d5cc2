/**
 * bursar approvals — the approval requests of your agents' intents: list them; approve or deny one with a second
 * factor, as a person (a session from `bursar login`).
 */
import type { Approval, ApprovalStatus } from '@bursar/core/api'
import { BursarApiError } from '@bursar/sdk'
import { type ConnectionOptions, ownerClient, ownerToken } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

export type ApprovalsOptions = ConnectionOptions & Output

export async function approvalsListCommand(
  options: ApprovalsOptions & {
    status?: ApprovalStatus | undefined
    agent?: string | undefined
    limit?: number | undefined
  },
) {
  const page = await ownerClient(options).listApprovals({
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.agent === undefined ? {} : { agent_id: options.agent }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  })
  print(options, page, () =>
    page.data.length === 0
      ? 'no approval requests'
      : page.data
          .map((a) => {
            const { amount, asset, recipient } = a.action
            const shown =
              amount.units === null ? `${amount.base_units} ${asset}` : `${amount.units} ${amount.symbol}`
            return `${a.id}  ${a.status.padEnd(9)} ${shown} → ${recipient}  intent ${a.intent_id}  expires ${a.expires_at}`
          })
          .join('\n'),
  )
}

export async function approvalsDecideCommand(
  decision: 'approve' | 'deny',
  approvalId: string,
  options: ApprovalsOptions & { totp?: string | undefined; recoveryCode?: string | undefined },
) {
  const secondFactor =
    options.totp !== undefined
      ? { totp_code: options.totp }
      : options.recoveryCode !== undefined
        ? { recovery_code: options.recoveryCode }
        : undefined
  if (secondFactor === undefined)
    throw new CliError(
      'USAGE',
      `pass --totp <code> or --recovery-code <code> (see \`bursar approvals ${decision} --help\`)`,
    )
  const token = ownerToken(options)
  let approval: Approval
  try {
    approval = await ownerClient(options)[decision](approvalId, secondFactor)
  } catch (error) {
    throw explainNotAnApprover(error, token)
  }
  print(options, approval, () => {
    const quorums = approval.rules.map((r) => `${r.rule} ${r.approvals}/${r.quorum}`).join(', ')
    const when = approval.executable_at === null ? '' : `  executable at ${approval.executable_at}`
    return `${approval.id}  ${approval.status}  ${quorums}  intent ${approval.intent_id}${when}`
  })
}

/** A service token is the likeliest reason for NOT_AN_APPROVER from the CLI (it is what `bursar dev` writes). */
function explainNotAnApprover(error: unknown, token: string): unknown {
  if (!(error instanceof BursarApiError) || error.code !== 'NOT_AN_APPROVER' || token.startsWith('bsr_ses_'))
    return error
  return new BursarApiError({
    code: error.code,
    message: `${error.message}: approving and denying need a person's session token, not a service token — run \`bursar login --email <you>\` and export the token it prints as BURSAR_OWNER_TOKEN`,
    status: error.status,
    details: error.details,
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  })
}
