/** How a policy names who may approve: one owner account, or every member of the organisation holding a role. */

/** Roles that can approve, weakest first: an admin may do everything an approver may. */
export const approverRoles = ['approver', 'admin'] as const
export type ApproverRole = (typeof approverRoles)[number]

/** Account ids as the store makes them (`acc_` + lowercase base-36 time + hex); agents' ids (`agt_…`) never match. */
const accountId = /^acc_[0-9a-z]{1,60}$/

export type ApproverEntry =
  | { kind: 'account'; id: string }
  | { kind: 'role'; role: ApproverRole }
  /** Names nobody Bursar knows ("role:owner", "user:alice", an agent id): it can never approve. */
  | { kind: 'unknown' }

/**
 * Reads one entry of an `approvers` list. Unknown entries stay valid in a document (policies written before accounts
 * existed must still load) but match nobody: an approval can only be given by someone the policy names exactly.
 * @example approverEntry('acc_01h2x3') // { kind: 'account', id: 'acc_01h2x3' }
 * @example approverEntry('role:approver') // { kind: 'role', role: 'approver' }
 * @example approverEntry('agt_01h2x3') // { kind: 'unknown' }
 */
export function approverEntry(entry: string): ApproverEntry {
  if (accountId.test(entry)) return { kind: 'account', id: entry }
  const role = approverRoles.find((candidate) => entry === `role:${candidate}`)
  return role === undefined ? { kind: 'unknown' } : { kind: 'role', role }
}
