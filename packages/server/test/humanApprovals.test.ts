/**
 * People approving what agents want to sign (issue 8): accounts with TOTP approve and deny over the API, quorums of
 * distinct approvers release intents to the executor (confirmed on anvil), timelocks hold them, and every refusal —
 * a viewer, a service token, an agent, another organisation, a wrong or replayed code, a second decision, a changed
 * payload, a decision after expiry — changes nothing.
 */

import { approvalHash } from '@bursar/core/approvals'
import type { JsonValue } from '@bursar/core/chains'
import { insertOrganisationWithToken } from '@bursar/store'
import {
  listAuditRows,
  listBucketDrift,
  readIntentRow,
  setApprovalColumns,
  setIntentColumns,
  sumReservations,
} from '@bursar/store/test-support'
import { plainTransferFee, waitForReceipt } from '@bursar/testing/anvil'
import { useTestStack } from '@bursar/testing/stack'
import { generateSync } from 'otplib'
import { describe, expect, test } from 'vitest'
import { expireApprovals } from '../src/workers/expireApprovals.ts'
import { queueTimelocked } from '../src/workers/queueTimelocked.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const transfer = (amount: string) => ({ type: 'transfer' as const, network: 'anvil', to: recipient, amount })
const hour = 3_600_000

type Person = { accountId: string; token: string; secret: string; recovery: string[]; nextStep: number }

describe('people approve and deny (PostgreSQL, anvil)', () => {
  const stack = useTestStack()
  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    stack.bursar.http(method, path, {
      ...(token === undefined ? {} : { token }),
      ...(body === undefined ? {} : { body }),
    })

  /** A TOTP code of a step this person has not used yet (each step's code works once; the next step's is accepted). */
  function code(person: Person): string {
    const now = Math.floor(Date.now() / 30_000)
    const step = Math.max(person.nextStep, now)
    person.nextStep = step + 1
    return generateSync({ secret: person.secret, epoch: step * 30 })
  }

  /** A second factor: a fresh TOTP code while one is left in the window, else one of the recovery codes. */
  function proof(person: Person): object {
    const now = Math.floor(Date.now() / 30_000)
    if (Math.max(person.nextStep, now) <= now + 1) return { totp_code: code(person) }
    return { recovery_code: person.recovery.pop()! }
  }

  async function signUp(email: string, invitation?: string): Promise<Person> {
    const created = await call('POST', '/v1/auth/sign-up', undefined, {
      email,
      password: 'correct horse battery staple',
      ...(invitation === undefined ? {} : { invitation }),
    })
    expect(created.status).toBe(201)
    const token = created.body.token as string
    const started = await call('POST', '/v1/auth/totp', token, { password: 'correct horse battery staple' })
    expect(started.status).toBe(200)
    const secret = new URL(started.body.uri).searchParams.get('secret')!
    const person: Person = { accountId: created.body.account.id, token, secret, recovery: [], nextStep: 0 }
    const confirmed = await call('POST', '/v1/auth/totp/confirm', token, { code: code(person) })
    expect(confirmed.status).toBe(200)
    person.recovery = confirmed.body.recovery_codes
    return person
  }

  async function invite(admin: Person, email: string, role: 'admin' | 'approver' | 'viewer') {
    const invited = await call('POST', '/v1/invitations', admin.token, { email, role })
    expect(invited.status).toBe(201)
    return invited.body.token as string
  }

  /** An invitation by an admin whose step-up may have lapsed: proven again first. */
  async function inviteWithStepUp(admin: Person, email: string) {
    expect((await call('POST', '/v1/auth/step-up', admin.token, proof(admin))).status).toBe(200)
    return invite(admin, email, 'approver')
  }

  let people: { alice: Person; bob: Person; carol: Person; victor: Person } | undefined
  async function team() {
    if (people) return people
    // The stack made the first organisation and its setup token; that token invites the first person as its admin.
    const first = await call('POST', '/v1/invitations', stack.bursar.ownerToken, {
      email: 'alice@example.com',
      role: 'admin',
      instance_admin: true,
    })
    const alice = await signUp('alice@example.com', first.body.token)
    // Invitations need step-up, which alice's TOTP confirmation just gave her session.
    const bob = await signUp('bob@example.com', await invite(alice, 'bob@example.com', 'approver'))
    const carol = await signUp('carol@example.com', await invite(alice, 'carol@example.com', 'approver'))
    const victor = await signUp('victor@example.com', await invite(alice, 'victor@example.com', 'viewer'))
    people = { alice, bob, carol, victor }
    return people
  }

  async function askingAgent(
    options: { quorum?: number; timelock?: string; expiresAfter?: string; approvers?: string[] } = {},
  ) {
    const { alice, bob, carol } = await team()
    const agent = await stack.bursar.createAgent({
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: (10n ** 18n).toString() }] },
        approvals: {
          approvers: options.approvers ?? [alice.accountId, bob.accountId, carol.accountId],
          quorum: options.quorum ?? 2,
          ...(options.expiresAfter === undefined ? {} : { expiresAfter: options.expiresAfter }),
          rules: [
            {
              id: 'big',
              asset: 'anvil:native',
              above: (plainTransferFee + 500n).toString(),
              ...(options.timelock === undefined ? {} : { timelock: options.timelock }),
            },
          ],
        },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const submitted = await call('POST', '/v1/intents', agent.apiKey, transfer('1000'))
    expect(submitted.body.status).toBe('pending_approval')
    const intentId = submitted.body.id as string
    const listed = await call('GET', `/v1/approvals?status=pending&agent_id=${agent.agentId}`, alice.token)
    expect(listed.body.data).toHaveLength(1)
    return { agent, intentId, approvalId: listed.body.data[0].id as string }
  }

  const decide = (person: Person, approvalId: string, decision: 'approve' | 'deny', factor?: object) =>
    call('POST', `/v1/approvals/${approvalId}/${decision}`, person.token, {
      second_factor: factor ?? proof(person),
    })

  async function waitForStatus(intentId: string, wanted: string) {
    for (let i = 0; i < 200; i++) {
      const intent = await readIntentRow(stack.bursar.ctx.db, intentId, ['status', 'tx', 'tx_hash', 'error'])
      if (intent?.status === wanted) return intent
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`intent ${intentId} never reached ${wanted}`)
  }

  test('quorum 2 of 3: one approval waits, the same approver again does not count, a second approver releases it and it confirms on anvil', async () => {
    const { alice, bob } = await team()
    const { intentId, approvalId } = await askingAgent()

    const first = await decide(alice, approvalId, 'approve')
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      status: 'pending',
      rules: [{ rule: 'big', quorum: 2, approvals: 1 }],
      decisions: [{ account_id: alice.accountId, role: 'admin', decision: 'approve' }],
    })
    expect(
      (await readIntentRow(stack.bursar.ctx.db, intentId, ['status', 'tx', 'tx_hash', 'error']))?.status,
    ).toBe('pending_approval')

    const again = await decide(alice, approvalId, 'approve')
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('APPROVAL_ALREADY_DECIDED')
    expect((await call('GET', `/v1/approvals/${approvalId}`, alice.token)).body.rules[0].approvals).toBe(1)

    const second = await decide(bob, approvalId, 'approve')
    expect(second.status).toBe(200)
    expect(second.body.status).toBe('approved')
    expect(second.body.executable_at).toEqual(expect.any(String))
    const confirmed = await waitForStatus(intentId, 'confirmed')
    expect(confirmed.tx_hash).toMatch(/^0x[0-9a-f]{64}$/)
    const receipt = await waitForReceipt(
      stack.bursar.ctx.networks.get('anvil')!.adapter,
      confirmed.tx_hash as `0x${string}`,
    )
    expect(receipt).toMatchObject({ status: 'success' })
    const actions = (await listAuditRows(stack.bursar.ctx.db, { subjectIds: [intentId] })).map(
      (row) => row.action,
    )
    expect(actions).toEqual(
      expect.arrayContaining(['approval.approved_by', 'intent.approved', 'intent.queued']),
    )
  })

  test('a denial by any approver ends it: the intent is denied and its reservation released', async () => {
    const { carol } = await team()
    const { intentId, approvalId } = await askingAgent()
    expect(
      (await sumReservations(stack.bursar.ctx.db, { intentId, excludeStatus: 'released' })).n,
    ).toBeGreaterThan(0)
    const denied = await decide(carol, approvalId, 'deny')
    expect(denied.status).toBe(200)
    expect(denied.body.status).toBe('denied')
    expect(
      (await readIntentRow(stack.bursar.ctx.db, intentId, ['status', 'tx', 'tx_hash', 'error']))?.status,
    ).toBe('denied')
    expect((await sumReservations(stack.bursar.ctx.db, { intentId, excludeStatus: 'released' })).n).toBe(0)
  })

  test('error: refused deciders change nothing — a viewer, a service token, an agent, another organisation, no credential', async () => {
    const { victor, alice } = await team()
    const { agent, intentId, approvalId } = await askingAgent()
    const body = { second_factor: { totp_code: '000000' } }
    const viewer = await call('POST', `/v1/approvals/${approvalId}/approve`, victor.token, body)
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 'ROLE_FORBIDDEN'])
    const service = await call('POST', `/v1/approvals/${approvalId}/approve`, stack.bursar.ownerToken, body)
    expect([service.status, service.body.error.code]).toEqual([403, 'NOT_AN_APPROVER'])
    const byAgent = await call('POST', `/v1/approvals/${approvalId}/approve`, agent.apiKey, body)
    expect([byAgent.status, byAgent.body.error.code]).toEqual([403, 'FORBIDDEN'])
    const anonymous = await call('POST', `/v1/approvals/${approvalId}/approve`, undefined, body)
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'UNAUTHENTICATED'])

    // Another organisation's admin, signed in with a session of their own.
    const other = await stack.bursar.ctx.db.transaction((tx) => insertOrganisationWithToken(tx, 'Other org'))
    const invited = await call('POST', '/v1/invitations', other.token, {
      email: 'olga@example.com',
      role: 'admin',
    })
    const olga = await signUp('olga@example.com', invited.body.token)
    const foreign = await decide(olga, approvalId, 'approve')
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'APPROVAL_NOT_FOUND'])
    expect((await call('GET', `/v1/approvals/${approvalId}`, olga.token)).status).toBe(404)
    expect((await call('GET', '/v1/approvals', olga.token)).body.data).toEqual([])

    // Known callers' refusals are audited (the anonymous one has nobody to name).
    const refused = (await listAuditRows(stack.bursar.ctx.db, { actions: ['access.refused'] })).map(
      (row) => row.data as { route: string; code: string },
    )
    expect(refused).toEqual(
      expect.arrayContaining([
        { route: 'POST /v1/approvals/:id/approve', code: 'ROLE_FORBIDDEN' },
        { route: 'POST /v1/approvals/:id/approve', code: 'FORBIDDEN' },
      ]),
    )
    const after = await call('GET', `/v1/approvals/${approvalId}`, alice.token)
    expect(after.body).toMatchObject({ status: 'pending', decisions: [] })
    expect(
      (await readIntentRow(stack.bursar.ctx.db, intentId, ['status', 'tx', 'tx_hash', 'error']))?.status,
    ).toBe('pending_approval')
  })

  test('error: a wrong code, a replayed code and a used recovery code are refused, recorded, and count nothing', async () => {
    const { alice } = await team()
    // Someone fresh, whose TOTP window is unused: a code rita used (in a step-up) cannot approve.
    const rita = await signUp('rita@example.com', await inviteWithStepUp(alice, 'rita@example.com'))
    const { approvalId } = await askingAgent({ approvers: [alice.accountId, rita.accountId] })
    const wrong = await decide(alice, approvalId, 'approve', { totp_code: '000000' })
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'TOTP_INVALID'])
    const used = code(rita)
    expect((await call('POST', '/v1/auth/step-up', rita.token, { totp_code: used })).status).toBe(200)
    const replayed = await decide(rita, approvalId, 'approve', { totp_code: used })
    expect([replayed.status, replayed.body.error.code]).toEqual([401, 'TOTP_INVALID'])
    // A recovery code works once.
    const recovery = alice.recovery.pop()!
    const byRecovery = await decide(alice, approvalId, 'approve', { recovery_code: recovery })
    expect(byRecovery.status).toBe(200)
    expect(byRecovery.body.decisions).toEqual([expect.objectContaining({ factor: 'recovery' })])
    const recoveryAgain = await decide(rita, approvalId, 'approve', { recovery_code: recovery })
    expect([recoveryAgain.status, recoveryAgain.body.error.code]).toEqual([401, 'TOTP_INVALID'])
    const refusals = (await listAuditRows(stack.bursar.ctx.db, { actions: ['approval.refused'] })).filter(
      (row) => row.subject_id === approvalId,
    )
    expect(refusals.map((row) => (row.data as { code: string }).code)).toEqual([
      'TOTP_INVALID',
      'TOTP_INVALID',
      'TOTP_INVALID',
    ])
  })

  test('error: an approval for an intent whose bound transaction changed is refused (APPROVAL_VOID), nothing recorded', async () => {
    const { alice } = await team()
    const { intentId, approvalId } = await askingAgent()
    const row = await readIntentRow(stack.bursar.ctx.db, intentId, ['status', 'tx', 'tx_hash', 'error'])
    const tx = row!.tx as Record<string, unknown>
    await setIntentColumns(
      stack.bursar.ctx.db,
      { id: intentId },
      { tx: { ...tx, to: '0x000000000000000000000000000000000000dEaD' } },
    )
    const refused = await decide(alice, approvalId, 'approve')
    expect([refused.status, refused.body.error.code]).toEqual([409, 'APPROVAL_VOID'])
    expect((await call('GET', `/v1/approvals/${approvalId}`, alice.token)).body.decisions).toEqual([])
  })

  test('error: a decision after expiry is refused; the expiry worker expires it and the reservation returns', async () => {
    const { alice } = await team()
    const { intentId, approvalId } = await askingAgent({ expiresAfter: '1h' })
    expect(await expireApprovals(stack.bursar.ctx, { now: new Date(Date.now() + 2 * hour) })).toBe(1)
    const late = await decide(alice, approvalId, 'approve')
    expect([late.status, late.body.error.code]).toEqual([409, 'APPROVAL_NOT_PENDING'])
    expect(
      (await readIntentRow(stack.bursar.ctx.db, intentId, ['status', 'tx', 'tx_hash', 'error']))?.status,
    ).toBe('expired')
    expect((await sumReservations(stack.bursar.ctx.db, { intentId, excludeStatus: 'released' })).n).toBe(0)
  })

  test('timelock: an approved intent waits, with the time visible, until the worker queues it; a change meanwhile voids it', async () => {
    const { alice, bob, carol } = await team()
    const held = await askingAgent({ quorum: 1, timelock: '1h' })
    const approved = await decide(carol, held.approvalId, 'approve')
    expect(approved.body.status).toBe('approved')
    const executableAt = new Date(approved.body.executable_at).getTime()
    expect(executableAt - Date.now()).toBeGreaterThan(hour - 60_000)
    expect(
      (await readIntentRow(stack.bursar.ctx.db, held.intentId, ['status', 'tx', 'tx_hash', 'error']))?.status,
    ).toBe('approved')
    expect(await queueTimelocked(stack.bursar.ctx)).toBe(0)
    expect(await queueTimelocked(stack.bursar.ctx, { now: new Date(executableAt + 1000) })).toBe(1)
    await waitForStatus(held.intentId, 'confirmed')

    // Approved, then its transaction rewritten during the timelock: at its end the approval is void.
    const changed = await askingAgent({ quorum: 1, timelock: '1h' })
    expect((await decide(bob, changed.approvalId, 'approve')).body.status).toBe('approved')
    const row = await readIntentRow(stack.bursar.ctx.db, changed.intentId, [
      'status',
      'tx',
      'tx_hash',
      'error',
    ])
    await setIntentColumns(
      stack.bursar.ctx.db,
      { id: changed.intentId },
      {
        tx: { ...(row!.tx as object), value: '999' },
      },
    )
    expect(await queueTimelocked(stack.bursar.ctx, { now: new Date(Date.now() + 2 * hour) })).toBe(1)
    const failed = await readIntentRow(stack.bursar.ctx.db, changed.intentId, [
      'status',
      'tx',
      'tx_hash',
      'error',
    ])
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'APPROVAL_VOID' } })
    expect(
      (await sumReservations(stack.bursar.ctx.db, { intentId: changed.intentId, excludeStatus: 'released' }))
        .n,
    ).toBe(0)
    expect((await call('GET', `/v1/approvals/${changed.approvalId}`, alice.token)).body.status).toBe('void')

    // Any approver may cancel during the timelock.
    const cancelled = await askingAgent({ quorum: 1, timelock: '1h' })
    expect((await decide(alice, cancelled.approvalId, 'approve')).body.status).toBe('approved')
    const cancel = await call('POST', `/v1/intents/${cancelled.intentId}/cancel`, bob.token)
    expect(cancel.status).toBe(200)
    expect(cancel.body.status).toBe('cancelled')
    expect((await call('GET', `/v1/approvals/${cancelled.approvalId}`, alice.token)).body.status).toBe(
      'cancelled',
    )
  })
  test('error: a database writer cannot approve — a request set to approved, or a recipient swapped with a recomputed hash, is void, never signed', async () => {
    const { alice } = await team()
    // No decision at all: the rows say approved and due.
    const forged = await askingAgent()
    await setApprovalColumns(stack.bursar.ctx.db, forged.approvalId, {
      status: 'approved',
      executable_at: new Date(0),
    })
    await setIntentColumns(stack.bursar.ctx.db, { id: forged.intentId }, { status: 'approved' })
    expect(await queueTimelocked(stack.bursar.ctx)).toBe(1)
    expect(await readIntentRow(stack.bursar.ctx.db, forged.intentId, ['status', 'error'])).toMatchObject({
      status: 'failed',
      error: { code: 'APPROVAL_VOID' },
    })

    // A genuine approval, then the recipient swapped during the timelock with the approval hash recomputed to match.
    const held = await askingAgent({ quorum: 1, timelock: '1h' })
    expect((await decide(alice, held.approvalId, 'approve')).body.status).toBe('approved')
    const row = await readIntentRow(stack.bursar.ctx.db, held.intentId, [
      'tx',
      'agent_id',
      'network',
      'policy_version',
    ])
    const swapped = {
      ...(row!.tx as Record<string, unknown>),
      to: '0x000000000000000000000000000000000000bEEF',
    }
    await setIntentColumns(stack.bursar.ctx.db, { id: held.intentId }, { tx: swapped })
    const adapter = stack.bursar.ctx.networks.get('anvil')!.adapter
    await setApprovalColumns(stack.bursar.ctx.db, held.approvalId, {
      approval_hash: approvalHash({
        network: row!.network,
        agentId: row!.agent_id,
        intentId: held.intentId,
        binding: adapter.approvalBinding(swapped as JsonValue),
        policyVersion: row!.policy_version!,
      }),
    })
    expect(await queueTimelocked(stack.bursar.ctx, { now: new Date(Date.now() + 2 * hour) })).toBe(1)
    expect(await readIntentRow(stack.bursar.ctx.db, held.intentId, ['status', 'error'])).toMatchObject({
      status: 'failed',
      error: { code: 'APPROVAL_VOID' },
    })
  })

  test('a removed approver’s approval stops counting towards the quorum', async () => {
    const { alice, bob, carol } = await team()
    const { intentId, approvalId } = await askingAgent({ quorum: 2 })
    expect((await decide(bob, approvalId, 'approve')).body.status).toBe('pending')
    // Alice (admin, stepped up) removes Bob, then Carol approves: one countable approval is not two.
    expect((await call('POST', '/v1/auth/step-up', alice.token, proof(alice))).status).toBe(200)
    expect((await call('DELETE', `/v1/members/${bob.accountId}`, alice.token)).status).toBe(200)
    const second = await decide(carol, approvalId, 'approve')
    expect(second.body.status).toBe('pending')
    expect(second.body.rules[0].approvals).toBe(1)
    expect((await readIntentRow(stack.bursar.ctx.db, intentId, ['status']))?.status).toBe('pending_approval')
  })

  // Every path above released, committed or trued down reservations: the rolling-window buckets must still agree.
  test('the window buckets (totals and fee parts) still sum exactly what the reservations hold', async () => {
    expect(await listBucketDrift(stack.t.db)).toEqual([])
  })
})
