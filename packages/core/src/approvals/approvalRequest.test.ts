import { describe, expect, test } from 'vitest'
import { alice, tokenAsset, tokenTransfer, usageWith } from '../../test/policyFixtures.ts'
import { evaluatePolicy } from '../policy/evaluatePolicy.ts'
import { validatePolicy } from '../policy/validatePolicy.ts'
import { approvalExpiry } from './approvalExpiry.ts'
import { approvalRequest } from './approvalRequest.ts'
import { parseApproverId } from './approverId.ts'
import { evaluateApprovals } from './evaluateApprovals.ts'
import { executableAt } from './executableAt.ts'

const createdAt = new Date('2025-03-01T12:00:00Z')
const plus = (seconds: number, from = createdAt) => new Date(from.getTime() + seconds * 1000)

describe('expiry', () => {
  const table: Array<[string, Array<{ expiresAfterSeconds: number | undefined }>, Date]> = [
    ['no setting: 24 hours', [{ expiresAfterSeconds: undefined }], plus(86_400)],
    ['a policy that sets 4 hours', [{ expiresAfterSeconds: 4 * 3600 }], plus(4 * 3600)],
    ['a policy that sets a week', [{ expiresAfterSeconds: 7 * 86_400 }], plus(7 * 86_400)],
    [
      'several rules: the shortest wait, the default counting as one',
      [{ expiresAfterSeconds: 3 * 86_400 }, { expiresAfterSeconds: undefined }],
      plus(86_400),
    ],
    ['no rule at all: the default', [], plus(86_400)],
  ]
  test.each(table)('%s', (_name, rules, expected) => {
    expect(approvalExpiry(createdAt, rules)).toEqual(expected)
  })
})

describe('timelock', () => {
  const approvedAt = new Date('2025-03-01T15:30:00Z')
  const table: Array<[string, Array<{ timelockSeconds: number }>, Date]> = [
    ['no timelock: executable when approved', [{ timelockSeconds: 0 }], approvedAt],
    [
      'an hour after the approval, not after the request',
      [{ timelockSeconds: 3600 }],
      plus(3600, approvedAt),
    ],
    [
      'several rules: the longest timelock',
      [{ timelockSeconds: 600 }, { timelockSeconds: 5400 }, { timelockSeconds: 0 }],
      plus(5400, approvedAt),
    ],
    ['no rule at all: executable when approved', [], approvedAt],
  ]
  test.each(table)('%s', (_name, rules, expected) => {
    expect(executableAt({ status: 'approved', at: approvedAt }, rules)).toEqual(expected)
  })
})

describe('a request from the decision and the policy it was made under', () => {
  const result = validatePolicy({
    approvals: {
      approvers: ['acc_alice', 'acc_bob', 'acc_carol'],
      quorum: 2,
      expiresAfter: '12h',
      rules: [
        { id: 'big', asset: tokenAsset, above: '1000', timelock: '1h' },
        { id: 'first-payment', newRecipient: true, approvers: ['role:admin'], quorum: 1, expiresAfter: '2h' },
        { id: 'unused', selectors: ['approve(address,uint256)'] },
      ],
    },
  })
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  const policy = result.policy
  const decision = evaluatePolicy(policy, tokenTransfer(alice, 5000n), usageWith({}), {
    now: createdAt,
    agentStatus: 'active',
    breaker: { tripped: false },
  })

  test('each triggered rule is a quorum; the shortest expiry; the longest timelock once approved', () => {
    expect(decision.outcome).toBe('require_approval')
    const request = approvalRequest(policy, decision.approval!.requirements, createdAt)
    expect(request.quorums.map((quorum) => [quorum.rule, quorum.quorum])).toEqual([
      ['big', 2],
      ['first-payment', 1],
    ])
    expect(request.expiresAt).toEqual(plus(2 * 3600))

    const at = (minutes: number) => plus(minutes * 60)
    const state = evaluateApprovals(
      request,
      [
        { approverId: parseApproverId('acc_alice')!, role: 'admin', decision: 'approve', at: at(10) },
        { approverId: parseApproverId('acc_bob')!, role: 'approver', decision: 'approve', at: at(20) },
      ],
      at(30),
    )
    if (state.status !== 'approved') throw new Error(`expected approved, got ${state.status}`)
    expect(executableAt(state, request.rules)).toEqual(at(20 + 60))
  })

  test('error: a requirement the policy lacks is refused, not dropped (it would ask for less)', () => {
    expect(() => approvalRequest(policy, [{ rule: 'big' }, { rule: 'gone' }], createdAt)).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    )
  })
})
