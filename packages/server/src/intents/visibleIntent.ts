/** Authorization for one intent: an agent sees its own, an owner sees its agents'. Others get a plain 404. */
import { BursarError } from '@bursar/core/errors'
import type { IntentRow } from '@bursar/store'
import type { Principal } from '../auth/authenticate.ts'

export function visibleIntent(
  principal: Principal,
  intent: (IntentRow & { owner_id?: string }) | undefined,
  intentId: string,
): IntentRow {
  const visible =
    intent !== undefined &&
    (principal.type === 'agent'
      ? intent.agent_id === principal.agentId
      : intent.owner_id === principal.ownerId)
  if (!visible)
    throw new BursarError('INTENT_NOT_FOUND', 'intent not found', { details: { intent_id: intentId } })
  return intent
}
