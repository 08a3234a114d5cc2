import { describe, expect, test } from 'vitest'
import type { ApprovalQuorum, MemberRole } from './approvalQuorum.ts'
import { approvalQuorum } from './approvalQuorum.ts'
import type { ApprovalRefusalCode } from './approvalRefusalCodes.ts'
import { type ApproverId, parseApproverId } from './approverId.ts'
import { type ApprovalDecision, evaluateApprovals } from './evaluateApprovals.ts'

const id = (value: string): ApproverId => {
  const parsed = parseApproverId(value)
  if (parsed === undefined) throw new Error(`${value} is not an account id`)
  return parsed
}
const alice = id('acc_alice')
const bob = id('acc_bob')
const carol = id('acc_carol')
const mallory = id('acc_mallory')

const createdAt = new Date('2025-03-01T12:00:00Z')
const expiresAt = new Date('2025-03-02T12:00:00Z')
const minutes = (n: number) => new Date(createdAt.getTime() + n * 60_000)
const now = minutes(60)

const twoOfThree: ApprovalQuorum = approvalQuorum({
  rule: 'big',
  quorum: 2,
  approvers: ['acc_alice', 'acc_bob', 'acc_carol'],
  role: 'approver',
})

const approve = (approverId: ApproverId, at = 1, role: MemberRole = 'approver'): ApprovalDecision => ({
  approverId,
  role,
  decision: 'approve',
  at: minutes(at),
})
const deny = (approverId: ApproverId, at = 1, role: MemberRole = 'approver'): ApprovalDecision => ({
  ...approve(approverId, at, role),
  decision: 'deny',
})

type Row = [
  name: string,
  decisions: ApprovalDecision[],
  expected: { status: string; needed?: number; approvedBy?: ApproverId[] },
  refused: Array<[index: number, reason: ApprovalRefusalCode]>,
]

describe('a 2-of-3 quorum of named approvers', () => {
  const table: Row[] = [
    ['no decision yet: pending, two needed', [], { status: 'pending', needed: 2 }, []],
    ['one approval: still pending, one more needed', [approve(alice)], { status: 'pending', needed: 1 }, []],
    [
      'a second approval by a different approver: approved',
      [approve(alice, 1), approve(bob, 2)],
      { status: 'approved', approvedBy: [alice, bob] },
      [],
    ],
    [
      'the same approver twice does not count twice',
      [approve(alice, 1), approve(alice, 2)],
      { status: 'pending', needed: 1, approvedBy: [alice] },
      [[1, 'APPROVER_ALREADY_DECIDED']],
    ],
    [
      'an approver cannot deny after approving (each decides once)',
      [approve(alice, 1), deny(alice, 2)],
      { status: 'pending', needed: 1 },
      [[1, 'APPROVER_ALREADY_DECIDED']],
    ],
    ['a deny by any approver ends it', [deny(carol)], { status: 'denied' }, []],
    [
      'a deny after one approval ends it: approvals do not outvote a deny',
      [approve(alice, 1), deny(carol, 2)],
      { status: 'denied', approvedBy: [alice] },
      [],
    ],
    [
      'an approval after a deny is refused: the request is closed',
      [deny(carol, 1), approve(alice, 2), approve(bob, 3)],
      { status: 'denied' },
      [
        [1, 'APPROVAL_CLOSED'],
        [2, 'APPROVAL_CLOSED'],
      ],
    ],
    [
      'a third approval after the quorum is met is refused, the request stays approved',
      [approve(alice, 1), approve(bob, 2), approve(carol, 3)],
      { status: 'approved', approvedBy: [alice, bob] },
      [[2, 'APPROVAL_CLOSED']],
    ],
    [
      'an outsider is refused and counts for nothing, even as an admin',
      [approve(alice), approve(mallory, 2, 'admin')],
      { status: 'pending', needed: 1 },
      [[1, 'APPROVER_NOT_IN_SET']],
    ],
    [
      'an outsider cannot deny either',
      [deny(mallory)],
      { status: 'pending', needed: 2 },
      [[0, 'APPROVER_NOT_IN_SET']],
    ],
    [
      'a named approver who is only a viewer now is refused (wrong role)',
      [approve(alice), approve(bob, 2, 'viewer')],
      { status: 'pending', needed: 1 },
      [[1, 'APPROVER_ROLE_INSUFFICIENT']],
    ],
    [
      'an agent id cast to an approver is refused at run time',
      [approve('agt_rogue' as ApproverId), approve(alice, 2)],
      { status: 'pending', needed: 1 },
      [[0, 'APPROVER_NOT_AN_ACCOUNT']],
    ],
  ]
  test.each(table)('%s', (_name, decisions, expected, refused) => {
    const state = evaluateApprovals({ quorums: [twoOfThree], expiresAt }, decisions, now)
    expect(state.status).toBe(expected.status)
    if (expected.needed !== undefined) {
      expect(state).toMatchObject({ missing: [{ rule: 'big', needed: expected.needed }] })
    }
    if (expected.approvedBy !== undefined) expect(state.approvedBy).toEqual(expected.approvedBy)
    expect(state.refused.map(({ index, reason }) => [index, reason])).toEqual(refused)
  })

  test('approved at the moment of the decision that completed the quorum', () => {
    expect(
      evaluateApprovals({ quorums: [twoOfThree], expiresAt }, [approve(alice, 5), approve(bob, 9)], now),
    ).toEqual({ status: 'approved', at: minutes(9), approvedBy: [alice, bob], refused: [] })
  })

  test('denied names who denied and when', () => {
    expect(evaluateApprovals({ quorums: [twoOfThree], expiresAt }, [deny(bob, 7)], now)).toMatchObject({
      status: 'denied',
      at: minutes(7),
      deniedBy: bob,
    })
  })
})

describe('a required role', () => {
  const admins = approvalQuorum({ rule: 'r', quorum: 1, approvers: ['role:admin'], role: 'approver' })
  const approvers = approvalQuorum({ rule: 'r', quorum: 2, approvers: ['role:approver'], role: 'approver' })
  const namedAdmins = approvalQuorum({ rule: 'r', quorum: 1, approvers: ['acc_alice'], role: 'admin' })
  const table: Array<[string, ApprovalQuorum, ApprovalDecision[], string, ApprovalRefusalCode[]]> = [
    ['"role:admin": any admin approves', admins, [approve(mallory, 1, 'admin')], 'approved', []],
    [
      '"role:admin": an approver is refused',
      admins,
      [approve(mallory, 1, 'approver')],
      'pending',
      ['APPROVER_ROLE_INSUFFICIENT'],
    ],
    [
      '"role:approver": approvers and admins count alike, two members make two',
      approvers,
      [approve(alice, 1, 'approver'), approve(bob, 2, 'admin')],
      'approved',
      [],
    ],
    [
      '"role:approver": a viewer is refused',
      approvers,
      [approve(carol, 1, 'viewer')],
      'pending',
      ['APPROVER_ROLE_INSUFFICIENT'],
    ],
    [
      'role "admin" on a named approver: refused while they are an approver',
      namedAdmins,
      [approve(alice, 1, 'approver')],
      'pending',
      ['APPROVER_ROLE_INSUFFICIENT'],
    ],
    [
      'role "admin" on a named approver: counts as an admin',
      namedAdmins,
      [approve(alice, 1, 'admin')],
      'approved',
      [],
    ],
  ]
  test.each(table)('%s', (_name, quorum, decisions, status, refused) => {
    const state = evaluateApprovals({ quorums: [quorum], expiresAt }, decisions, now)
    expect(state.status).toBe(status)
    expect(state.refused.map((refusal) => refusal.reason)).toEqual(refused)
  })

  test('entries that name nobody are dropped; the weakest role listed says who counts', () => {
    expect(
      approvalQuorum({
        rule: 'r',
        quorum: 1,
        approvers: ['role:owner', 'user:alice', 'agt_1', 'acc_bob', 'role:admin', 'role:approver'],
        role: 'approver',
      }),
    ).toEqual({ rule: 'r', quorum: 1, accounts: new Set(['acc_bob']), members: 'approver', role: 'approver' })
  })

  test('a quorum of only unknown entries can never be met', () => {
    const nobody = approvalQuorum({ rule: 'r', quorum: 1, approvers: ['role:owner'], role: 'approver' })
    const state = evaluateApprovals({ quorums: [nobody], expiresAt }, [approve(alice, 1, 'admin')], now)
    expect(state).toMatchObject({ status: 'pending', refused: [{ reason: 'APPROVER_NOT_IN_SET' }] })
  })
})

describe('expiry', () => {
  const table: Array<[string, ApprovalDecision[], Date, string, ApprovalRefusalCode[]]> = [
    ['unanswered, one millisecond before: pending', [], new Date(expiresAt.getTime() - 1), 'pending', []],
    ['unanswered at the expiry: expired', [], expiresAt, 'expired', []],
    ['half approved, later: expired', [approve(alice)], minutes(3 * 24 * 60), 'expired', []],
    [
      'a decision at the moment of expiry is refused',
      [approve(alice), approve(bob, 24 * 60)],
      minutes(24 * 60),
      'expired',
      ['APPROVAL_EXPIRED'],
    ],
    [
      'a deny after expiry is refused too: it stays expired, not denied',
      [deny(bob, 25 * 60)],
      minutes(25 * 60),
      'expired',
      ['APPROVAL_EXPIRED'],
    ],
    [
      'a quorum met in time stays met when looked at after the expiry',
      [approve(alice, 1), approve(bob, 2)],
      minutes(48 * 60),
      'approved',
      [],
    ],
  ]
  test.each(table)('%s', (_name, decisions, at, status, refused) => {
    const state = evaluateApprovals({ quorums: [twoOfThree], expiresAt }, decisions, at)
    expect(state.status).toBe(status)
    expect(state.refused.map((refusal) => refusal.reason)).toEqual(refused)
  })

  test('expired says when, and how many approvals were missing', () => {
    expect(evaluateApprovals({ quorums: [twoOfThree], expiresAt }, [approve(alice)], expiresAt)).toEqual({
      status: 'expired',
      at: expiresAt,
      missing: [{ rule: 'big', needed: 1 }],
      approvedBy: [alice],
      refused: [],
    })
  })
})

describe('several triggered rules', () => {
  const admin = approvalQuorum({ rule: 'first-payment', quorum: 1, approvers: ['role:admin'], role: 'admin' })

  test('every quorum must be met; one approval may count for several', () => {
    const request = { quorums: [twoOfThree, admin], expiresAt }
    const one = evaluateApprovals(request, [approve(alice, 1, 'admin')], now)
    expect(one).toMatchObject({ status: 'pending', missing: [{ rule: 'big', needed: 1 }] })
    const two = evaluateApprovals(request, [approve(alice, 1, 'admin'), approve(bob, 2)], now)
    expect(two.status).toBe('approved')
    const notAdmin = evaluateApprovals(request, [approve(alice, 1), approve(bob, 2)], now)
    expect(notAdmin).toMatchObject({ status: 'pending', missing: [{ rule: 'first-payment', needed: 1 }] })
  })

  test('a member who counts for one quorum only may still deny the whole request', () => {
    const state = evaluateApprovals(
      { quorums: [twoOfThree, admin], expiresAt },
      [deny(mallory, 1, 'admin')],
      now,
    )
    expect(state.status).toBe('denied')
  })

  test('error: no quorum at all is never approved (fail closed)', () => {
    expect(evaluateApprovals({ quorums: [], expiresAt }, [approve(alice)], now)).toMatchObject({
      status: 'pending',
      refused: [{ reason: 'APPROVER_NOT_IN_SET' }],
    })
  })
})
