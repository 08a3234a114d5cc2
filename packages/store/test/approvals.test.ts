import { isBursarError } from '@bursar/core/errors'
import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type ApprovalQuorumRecord,
  getApprovalRequest,
  getApprovalRequestByIntent,
  insertAccount,
  insertAgent,
  insertApprovalDecision,
  insertApprovalRequest,
  insertDecidedIntent,
  insertKeyMaterial,
  insertOrganisation,
  insertOrganisationWithToken,
  insertWallet,
  listApprovalDecisions,
  listApprovalRequests,
  listApprovalRequestsWithIntents,
  listExpiredApprovalRequests,
  newId,
  setApprovalStatus,
} from '../src/index.ts'

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected a refusal')
}

const quorums: ApprovalQuorumRecord[] = [
  { rule: 'big', quorum: 2, accounts: [], members: 'approver', role: 'approver' },
]
const rules = [{ rule: 'big', timelockSeconds: 600 }]

describe.each(testDbKinds)('approvals on %s', (kind) => {
  let t: TestDb
  let ownerId: string
  let agentId: string
  let walletId: string
  let alice: string
  let bob: string

  beforeAll(async () => {
    t = await createTestDb(kind)
    await t.db.transaction(async (tx) => {
      const { organisation: owner } = await insertOrganisationWithToken(tx, 'o')
      ownerId = owner.id
      agentId = (await insertAgent(tx, owner.id, 'a')).id
      const keyId = newId('kms')
      await insertKeyMaterial(tx, keyId, {})
      walletId = (await insertWallet(tx, { agentId, keyId, family: 'evm', address: () => '0x0' })).id
      alice = (await insertAccount(tx, {
        email: 'alice@example.com',
        passwordHash: 'h',
        instanceAdmin: false,
      }))!.id
      bob = (await insertAccount(tx, { email: 'bob@example.com', passwordHash: 'h', instanceAdmin: false }))!
        .id
    })
  })
  afterAll(() => t.drop())

  /** An intent waiting for approval and its request, expiring `expiresInSeconds` from now. */
  async function pendingRequest(expiresInSeconds = 3600, extra: { orgId?: string } = {}) {
    return t.db.transaction(async (tx) => {
      const intent = await insertDecidedIntent(
        tx,
        {
          id: newId('int'),
          agentId,
          walletId,
          network: 'anvil',
          status: 'pending_approval',
          request: {},
          requestHash: 'h',
          idempotencyKey: null,
          asset: 'anvil:native',
          amount: '1',
          recipient: '0xr',
          recipients: ['0xr'],
          decision: null,
          policyVersion: 1,
          error: null,
        },
        {
          events: [
            { from: null, to: 'received' },
            { from: 'received', to: 'pending_approval' },
          ],
          reservations: [],
          audit: [],
        },
      )
      const createdAt = new Date(Date.now() - 1000)
      return insertApprovalRequest(tx, {
        mac: 'f'.repeat(64),
        intentId: intent.id,
        agentId,
        orgId: extra.orgId ?? ownerId,
        approvalHash: 'a'.repeat(64),
        policyVersion: 1,
        rules,
        quorums,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + expiresInSeconds * 1000),
      })
    })
  }

  test('a request is stored pending, with its rules and quorums as JSON, found by id and by intent', async () => {
    const request = await pendingRequest()
    expect(request).toMatchObject({
      id: expect.stringMatching(/^apr_/),
      org_id: ownerId,
      agent_id: agentId,
      approval_hash: 'a'.repeat(64),
      policy_version: 1,
      rules,
      quorums,
      status: 'pending',
      decided_at: null,
      executable_at: null,
    })
    expect(request.expires_at.getTime() - request.created_at.getTime()).toBe(3_600_000)
    expect(await getApprovalRequest(t.db, request.id)).toEqual(request)
    expect(await getApprovalRequestByIntent(t.db, request.intent_id)).toEqual(request)
    expect(await t.db.transaction((tx) => getApprovalRequest(tx, request.id, { forUpdate: true }))).toEqual(
      request,
    )
    expect(
      await t.db.transaction((tx) => getApprovalRequestByIntent(tx, request.intent_id, { forUpdate: true })),
    ).toEqual(request)
    expect(await getApprovalRequest(t.db, 'apr_missing')).toBeUndefined()
    // One request per intent.
    await expect(
      insertApprovalRequest(t.db, {
        mac: 'f'.repeat(64),
        intentId: request.intent_id,
        agentId,
        orgId: ownerId,
        approvalHash: 'b',
        policyVersion: 1,
        rules,
        quorums,
        expiresAt: new Date(),
      }),
    ).rejects.toMatchObject({ code: '23505' })
  })

  test('decisions are listed in the order recorded, with role and factor', async () => {
    const request = await pendingRequest()
    const at = new Date()
    const first = await insertApprovalDecision(t.db, {
      mac: 'f'.repeat(64),
      requestId: request.id,
      accountId: bob,
      role: 'approver',
      decision: 'approve',
      factor: 'totp',
      decidedAt: at,
    })
    expect(first).toMatchObject({
      request_id: request.id,
      account_id: bob,
      role: 'approver',
      decision: 'approve',
      factor: 'totp',
      decided_at: at,
    })
    // An earlier clock does not reorder: the order recorded is what counts.
    await insertApprovalDecision(t.db, {
      mac: 'f'.repeat(64),
      requestId: request.id,
      accountId: alice,
      role: 'admin',
      decision: 'deny',
      factor: 'passkey',
      decidedAt: new Date(at.getTime() - 60_000),
    })
    expect((await listApprovalDecisions(t.db, request.id)).map((d) => [d.account_id, d.decision])).toEqual([
      [bob, 'approve'],
      [alice, 'deny'],
    ])
    expect(await listApprovalDecisions(t.db, 'apr_missing')).toEqual([])
  })

  test('error: a second decision by the same approver → APPROVAL_ALREADY_DECIDED, nothing changed', async () => {
    const request = await pendingRequest()
    await insertApprovalDecision(t.db, {
      mac: 'f'.repeat(64),
      requestId: request.id,
      accountId: alice,
      role: 'approver',
      decision: 'approve',
      factor: 'totp',
    })
    const before = await listApprovalDecisions(t.db, request.id)
    // In a transaction that goes on and commits: the refusal does not abort it.
    const error = await t.db.transaction(async (tx) => {
      const refused = await refusal(() =>
        insertApprovalDecision(tx, {
          mac: 'f'.repeat(64),
          requestId: request.id,
          accountId: alice,
          role: 'admin',
          decision: 'deny',
          factor: 'recovery',
        }),
      )
      await tx.query('select 1')
      return refused
    })
    expect(isBursarError(error) && error.code).toBe('APPROVAL_ALREADY_DECIDED')
    expect(isBursarError(error) && error.status).toBe(409)
    expect(await listApprovalDecisions(t.db, request.id)).toEqual(before)
    expect(await getApprovalRequest(t.db, request.id)).toEqual(request)
  })

  test('race: one approver deciding twice at once → one decision stands, the other is refused', async () => {
    const request = await pendingRequest()
    const results = await Promise.allSettled(
      (['approve', 'deny'] as const).map((decision) =>
        t.db.transaction((tx) =>
          insertApprovalDecision(tx, {
            mac: 'f'.repeat(64),
            requestId: request.id,
            accountId: bob,
            role: 'approver',
            decision,
            factor: 'totp',
          }),
        ),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected')
    expect(isBursarError(rejected?.reason) && rejected.reason.code).toBe('APPROVAL_ALREADY_DECIDED')
    expect(await listApprovalDecisions(t.db, request.id)).toHaveLength(1)
  })

  test('status: pending closes once; approved may still be cancelled or voided; nothing else moves', async () => {
    const approved = await pendingRequest()
    const at = new Date(Date.now() - 5000)
    const executableAt = new Date(at.getTime() + 600_000)
    const row = await setApprovalStatus(t.db, approved.id, {
      status: 'approved',
      decidedAt: at,
      executableAt,
    })
    expect(row).toMatchObject({ status: 'approved', decided_at: at, executable_at: executableAt })
    expect(await setApprovalStatus(t.db, approved.id, { status: 'denied' })).toBeUndefined()
    expect(await setApprovalStatus(t.db, approved.id, { status: 'expired' })).toBeUndefined()
    expect(
      await setApprovalStatus(t.db, approved.id, { status: 'approved', executableAt: new Date() }),
    ).toBeUndefined()
    // Cancelled during the timelock: the approval keeps its time.
    expect(await setApprovalStatus(t.db, approved.id, { status: 'cancelled' })).toMatchObject({
      status: 'cancelled',
      decided_at: at,
      executable_at: executableAt,
    })
    expect(await setApprovalStatus(t.db, approved.id, { status: 'void' })).toBeUndefined()

    const voided = await pendingRequest()
    expect(await setApprovalStatus(t.db, voided.id, { status: 'void' })).toBeUndefined()
    await setApprovalStatus(t.db, voided.id, { status: 'approved', executableAt: new Date() })
    expect(await setApprovalStatus(t.db, voided.id, { status: 'void' })).toMatchObject({
      status: 'void',
    })

    const denied = await pendingRequest()
    const closed = await setApprovalStatus(t.db, denied.id, { status: 'denied' })
    expect(closed).toMatchObject({ status: 'denied', executable_at: null })
    expect(closed!.decided_at).toBeInstanceOf(Date)
    expect(await setApprovalStatus(t.db, denied.id, { status: 'cancelled' })).toBeUndefined()
    expect(await setApprovalStatus(t.db, 'apr_missing', { status: 'denied' })).toBeUndefined()
  })

  test('race: two closers of one pending request → one wins', async () => {
    const request = await pendingRequest()
    const results = await Promise.all(
      (['denied', 'expired'] as const).map((status) =>
        t.db.transaction((tx) => setApprovalStatus(tx, request.id, { status })),
      ),
    )
    expect(results.filter((r) => r !== undefined)).toHaveLength(1)
  })

  test('the expiry worker gets pending requests past expiry, oldest first, each locked by one worker', async () => {
    const soon = await pendingRequest(1)
    const sooner = await pendingRequest(0)
    const later = await pendingRequest(3600)
    const closed = await pendingRequest(0)
    await setApprovalStatus(t.db, closed.id, { status: 'denied' })
    const now = new Date(Date.now() + 5000)
    const due = await t.db.transaction((tx) => listExpiredApprovalRequests(tx, { now, limit: 100 }))
    const ids = due.map((r) => r.id)
    expect(ids.indexOf(sooner.id)).toBeLessThan(ids.indexOf(soon.id))
    expect(ids).toContain(soon.id)
    expect(ids).not.toContain(later.id)
    expect(ids).not.toContain(closed.id)
    expect(due.every((r) => r.status === 'pending' && r.expires_at <= now)).toBe(true)
    expect(await t.db.transaction((tx) => listExpiredApprovalRequests(tx, { now, limit: 1 }))).toHaveLength(1)

    if (kind === 'postgres') {
      // A worker holding the rows: another one skips them rather than waiting.
      let release!: () => void
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      let locked!: () => void
      const holding = new Promise<void>((resolve) => {
        locked = resolve
      })
      const first = t.db.transaction(async (tx) => {
        const rows = await listExpiredApprovalRequests(tx, { now, limit: 100 })
        locked()
        await held
        return rows
      })
      await holding
      const second = await t.db.transaction((tx) => listExpiredApprovalRequests(tx, { now, limit: 100 }))
      release()
      expect((await first).length).toBe(ids.length)
      expect(second).toEqual([])
    }
  })

  test('listing: newest first, by status, organisation or agent, paged by id', async () => {
    const org = await insertOrganisation(t.db, 'Acme')
    const ofOrg = await pendingRequest(3600, { orgId: org.id })
    expect(ofOrg).toMatchObject({ org_id: org.id })
    const all = await listApprovalRequests(t.db, { limit: 1000 })
    expect(all.map((r) => r.id)).toEqual(
      all
        .map((r) => r.id)
        .sort()
        .reverse(),
    )
    // Ids order by the millisecond they were made; two made in the same one may come either way.
    expect(all.map((r) => r.id)).toContain(ofOrg.id)
    expect((await listApprovalRequests(t.db, { orgId: org.id, limit: 10 })).map((r) => r.id)).toEqual([
      ofOrg.id,
    ])
    const owned = await listApprovalRequests(t.db, { orgId: ownerId, limit: 1000 })
    expect(owned.length).toBe(all.length - 1)
    expect(owned.every((r) => r.org_id === ownerId)).toBe(true)
    const pending = await listApprovalRequests(t.db, { status: 'pending', agentId, limit: 1000 })
    expect(pending.length).toBeGreaterThan(0)
    expect(pending.every((r) => r.status === 'pending')).toBe(true)
    const page = await listApprovalRequests(t.db, { before: all[1]!.id, limit: 2 })
    expect(page.map((r) => r.id)).toEqual([all[2]!.id, all[3]!.id])

    // Joined with their intents in one query: the same requests, filters and pages, each with its own intent.
    const joined = await listApprovalRequestsWithIntents(t.db, { orgId: ownerId, limit: 1000 })
    expect(joined.map(({ request }) => request)).toEqual(owned)
    for (const { request, intent } of joined) {
      const [stored] = await t.db.query('select * from intents where id = $1', [request.intent_id])
      expect(intent).toEqual(stored)
    }
    const joinedPage = await listApprovalRequestsWithIntents(t.db, { before: all[1]!.id, limit: 2 })
    expect(joinedPage.map(({ request }) => request)).toEqual(page)
    expect(
      await listApprovalRequestsWithIntents(t.db, { status: 'pending', agentId, limit: 1000 }),
    ).toHaveLength(pending.length)
  })
})
