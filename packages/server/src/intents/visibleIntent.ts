/** Authorization for one intent: an agent sees its own, a member sees its organisation's agents'. Others get a plain 404. */
import { BursarError } from '@bursar/core/errors'
import type { IntentRow } from '@bursar/store'
import type { Principal } from '../auth/authenticate.ts'

export function visibleIntent(
  principal: Principal,
  intent: (IntentRow & { org_id?: string }) | undefined,
  intentId: string,
): IntentRow {
  const visible =
    intent !== undefined &&
    (principal.type === 'agent'
      ? intent.agent_id === principal.agentId
      : principal.type === 'member' && intent.org_id === principal.orgId)
  if (!visible)
    throw new BursarError('INTENT_NOT_FOUND', 'intent not found', { details: { intent_id: intentId } })
  return intent
}
