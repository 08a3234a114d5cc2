import { describe, expect, test } from 'vitest'
import { approvalQuorum } from './approvalQuorum.ts'
import { type ApproverId, parseApproverId } from './approverId.ts'
import { checkApprover } from './checkApprover.ts'

describe('approver ids', () => {
  test.each([
    ['acc_01j9x2k3m4', true],
    ['acc_alice', true],
    ['agt_01j9x2k3m4', false],
    ['own_01j9x2k3m4', false],
    ['ACC_ALICE', false],
    ['acc_', false],
    ['acc_alice ', false],
    ['role:admin', false],
  ])('%s is an approver id: %s', (value, ok) => {
    expect(parseApproverId(value) !== undefined).toBe(ok)
  })

  test('error: an agent id does not type-check as an approver', () => {
    // @ts-expect-error a plain string (an agent's id from its API key, say) is not an ApproverId
    const approverId: ApproverId = 'agt_01j9x2k3m4'
    const quorum = approvalQuorum({ rule: 'r', quorum: 1, approvers: ['agt_01j9x2k3m4'], role: 'approver' })
    // And if a cast slips one through, the run-time check still refuses it, even where the policy lists it.
    expect(checkApprover([quorum], { approverId, role: 'admin' })).toBe('APPROVER_NOT_AN_ACCOUNT')
  })

  test('who may cancel during a timelock: anyone who counts for a quorum', () => {
    const quorum = approvalQuorum({
      rule: 'r',
      quorum: 2,
      approvers: ['acc_alice', 'role:admin'],
      role: 'approver',
    })
    const check = (value: string, role: 'admin' | 'approver' | 'viewer') =>
      checkApprover([quorum], { approverId: parseApproverId(value)!, role })
    expect(check('acc_alice', 'approver')).toBeUndefined()
    expect(check('acc_bob', 'admin')).toBeUndefined()
    expect(check('acc_bob', 'approver')).toBe('APPROVER_ROLE_INSUFFICIENT')
    expect(check('acc_alice', 'viewer')).toBe('APPROVER_ROLE_INSUFFICIENT')
  })
})
