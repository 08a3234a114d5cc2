/** bursar approvals list — the approval requests of your agents' intents (approve and deny come with accounts). */
import type { ApprovalStatus } from '@bursar/core/api'
import { type ConnectionOptions, ownerClient } from '../connection.ts'
import { type Output, print } from '../output.ts'

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
