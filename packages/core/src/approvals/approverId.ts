/** Who can decide an approval request: an owner's account, never an agent. */
import { approverEntry } from '../policy/approverEntry.ts'

/**
 * An account id (`acc_…`) that passed parseApproverId. Branded so that no plain string, and so no agent id
 * (`agt_…`) taken from an API key, type-checks where an approver is expected.
 */
export type ApproverId = string & { readonly __brand: 'ApproverId' }

/**
 * The id as an approver, or undefined for anything that is not an owner account (agent ids included).
 * @example parseApproverId('acc_01h2x3') // 'acc_01h2x3'
 * @example parseApproverId('agt_01h2x3') // undefined
 */
export function parseApproverId(value: string): ApproverId | undefined {
  return approverEntry(value).kind === 'account' ? (value as ApproverId) : undefined
}
