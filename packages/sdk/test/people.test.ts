/**
 * createOwnerClient for people against a running Bursar: sign-up, TOTP, login, sessions, step-up; members,
 * invitations and service tokens; approving and denying with a second factor, and an agent's waitForIntent following
 * its intent through pending_approval to the outcome.
 */
import { startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { generateSync } from 'otplib'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import {
  createBursarClient,
  createOwnerClient,
  type OwnerClient,
  type WaitForIntentOptions,
} from '../src/index.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const password = 'correct horse battery staple'

type Person = {
  email: string
  accountId: string
  client: OwnerClient
  secret: string
  recovery: string[]
  nextStep: number
}

/** A TOTP code of a step this person has not used yet (each step's code works once; the next step's is accepted). */
function code(person: Person): string {
  const now = Math.floor(Date.now() / 30_000)
  const step = Math.max(person.nextStep, now)
  person.nextStep = step + 1
  return generateSync({ secret: person.secret, epoch: step * 30 })
}

/** A fresh TOTP code while one is left in the window, else one of the recovery codes. */
function proof(person: Person): { totp_code: string } | { recovery_code: string } {
  const now = Math.floor(Date.now() / 30_000)
  if (Math.max(person.nextStep, now) <= now + 1) return { totp_code: code(person) }
  return { recovery_code: person.recovery.pop()! }
}

describe('createOwnerClient for people (PostgreSQL, anvil)', () => {
  let anvil: TestAnvil
  let t: TestDb
  let bursar: TestBursar
  /** The test organisation's admin service token. */
  let service: OwnerClient
  let anonymous: OwnerClient

  beforeAll(async () => {
    anvil = await startTestAnvil()
    t = await createTestDb('postgres')
    bursar = await startTestBursar({ db: t.db, networks: [anvil.network] })
    service = createOwnerClient({ url: bursar.url, token: bursar.ownerToken })
    anonymous = createOwnerClient({ url: bursar.url })
  })
  afterAll(async () => {
    await bursar?.close()
    await t?.drop()
    await anvil?.stop()
  })

  async function signUp(email: string, invitation: string): Promise<Person> {
    const signedUp = await anonymous.signUp({ email, password, invitation })
    const client = createOwnerClient({ url: bursar.url, token: signedUp.token })
    const { uri } = await client.startTotpEnrolment({ password })
    const secret = new URL(uri).searchParams.get('secret')!
    const person: Person = {
      email,
      accountId: signedUp.account.id,
      client,
      secret,
      recovery: [],
      nextStep: 0,
    }
    person.recovery = (await client.confirmTotp(code(person))).recovery_codes
    return person
  }

  let people: { alice: Person; bob: Person } | undefined
  /** The setup token invites alice (admin, instance admin); alice invites bob as an approver. */
  async function team() {
    if (people) return people
    const first = await service.invite({ email: 'alice@example.com', role: 'admin', instance_admin: true })
    const alice = await signUp('alice@example.com', first.token)
    // Confirming TOTP counted as a step-up, which invitations need.
    const invitation = await alice.client.invite({ email: 'bob@example.com', role: 'approver' })
    const bob = await signUp('bob@example.com', invitation.token)
    people = { alice, bob }
    return people
  }

  /** An agent whose transfers above 500 wei wait on alice or bob, with one intent waiting. */
  async function pendingIntent() {
    const { alice, bob } = await team()
    const created = await service.createAgent({
      name: 'asks first',
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: (10n ** 17n).toString() }] },
        approvals: {
          approvers: [alice.accountId, bob.accountId],
          rules: [{ id: 'big', asset: 'anvil:native', above: '500' }],
        },
      },
    })
    await anvil.testClient.setBalance({
      address: created.agent.wallets[0]!.address as `0x${string}`,
      value: 10n ** 18n,
    })
    const agent = createBursarClient({ url: bursar.url, apiKey: created.api_key!.secret })
    const intent = await agent.sendIntent({
      type: 'transfer',
      network: 'anvil',
      to: recipient,
      amount: '1000',
    })
    expect(intent.status).toBe('pending_approval')
    const { data } = await alice.client.listApprovals({ status: 'pending', agent_id: created.agent.id })
    expect(data).toEqual([expect.objectContaining({ intent_id: intent.id })])
    return { agent, intent, approvalId: data[0]!.id }
  }

  /** waitForIntent started now, with every status it reports. */
  function follow(agent: ReturnType<typeof createBursarClient>, intentId: string) {
    const statuses: string[] = []
    const options: WaitForIntentOptions = {
      pollIntervalMs: 50,
      timeoutMs: 30_000,
      onStatus: (intent) => statuses.push(intent.status),
    }
    return { statuses, done: agent.waitForIntent(intentId, options) }
  }

  test('sign up, enrol TOTP, log in with a code, read me and sessions, end another session, step up, log out', async () => {
    const { alice } = await team()
    // The instance has an organisation: nobody gets in uninvited.
    await expect(anonymous.signUp({ email: 'mallory@example.com', password })).rejects.toMatchObject({
      code: 'SIGN_UP_CLOSED',
    })
    await expect(anonymous.login({ email: alice.email, password })).rejects.toMatchObject({
      code: 'SECOND_FACTOR_REQUIRED',
      status: 401,
    })
    await expect(
      anonymous.login({ email: alice.email, password: 'wrong', totp_code: '000000' }),
    ).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' })

    const login = await anonymous.login({ email: alice.email, password, ...proof(alice) })
    expect(login).toMatchObject({
      token: expect.stringMatching(/^bsr_ses_/),
      account: { id: alice.accountId, email: alice.email, instance_admin: true, totp_enabled: true },
      memberships: [{ org_id: bursar.ownerId, role: 'admin' }],
      session: { current: true, step_up_at: expect.any(String) },
    })
    const laptop = createOwnerClient({ url: bursar.url, token: login.token })
    expect(await laptop.me()).toMatchObject({
      account: { id: alice.accountId },
      organisation: { org_id: bursar.ownerId, role: 'admin' },
      session: { id: login.session.id, current: true },
    })

    const { data: sessions } = await alice.client.listSessions()
    expect(sessions.map((s) => [s.id === login.session.id, s.current])).toEqual(
      expect.arrayContaining([
        [true, false],
        [false, true],
      ]),
    )
    const ended = await alice.client.revokeSession(login.session.id)
    expect(ended).toMatchObject({ id: login.session.id, revoked_at: expect.any(String), current: false })
    await expect(laptop.me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED', status: 401 })
    await expect(alice.client.revokeSession('ses_doesnotexist')).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    })

    const steppedUp = await alice.client.stepUp(proof(alice))
    expect(Date.parse(steppedUp.valid_until) - Date.parse(steppedUp.step_up_at)).toBe(300_000)

    const phone = createOwnerClient({
      url: bursar.url,
      token: (await anonymous.login({ email: alice.email, password, recovery_code: alice.recovery.pop()! }))
        .token,
    })
    expect(await phone.logout()).toMatchObject({ revoked_at: expect.any(String) })
    await expect(phone.me()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    // A service token is no person.
    await expect(service.me()).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 })
  })

  test('members: invited, listed, their role changed, removed; the last admin stays; service tokens created, listed, revoked', async () => {
    const { alice, bob } = await team()
    await alice.client.stepUp(proof(alice))
    const invitation = await alice.client.invite({ email: 'carol@example.com', role: 'viewer' })
    expect(invitation).toMatchObject({
      email: 'carol@example.com',
      role: 'viewer',
      token: expect.any(String),
    })
    const carol = await signUp('carol@example.com', invitation.token)

    const { data: members } = await alice.client.listMembers()
    expect(members.map((m) => [m.email, m.role])).toEqual(
      expect.arrayContaining([
        ['alice@example.com', 'admin'],
        ['bob@example.com', 'approver'],
        ['carol@example.com', 'viewer'],
      ]),
    )
    expect(await alice.client.setMemberRole(carol.accountId, 'approver')).toMatchObject({
      account_id: carol.accountId,
      email: 'carol@example.com',
      role: 'approver',
    })
    await expect(alice.client.setMemberRole(alice.accountId, 'viewer')).rejects.toMatchObject({
      code: 'LAST_ADMIN',
    })
    // Only admins manage members.
    await expect(bob.client.removeMember(carol.accountId)).rejects.toMatchObject({ code: 'ROLE_FORBIDDEN' })
    expect(await alice.client.removeMember(carol.accountId)).toMatchObject({ account_id: carol.accountId })
    expect((await alice.client.listMembers()).data.map((m) => m.account_id)).not.toContain(carol.accountId)

    const created = await alice.client.createServiceToken({ name: 'ci', role: 'viewer' })
    expect(created).toMatchObject({
      name: 'ci',
      role: 'viewer',
      token: expect.stringMatching(/^bsr_owner_/),
      created_by: alice.accountId,
      revoked_at: null,
    })
    const ci = createOwnerClient({ url: bursar.url, token: created.token })
    expect((await ci.listAgents()).data).toEqual(expect.any(Array))
    const { data: tokens } = await alice.client.listServiceTokens()
    expect(tokens).toContainEqual(expect.objectContaining({ id: created.id, name: 'ci' }))
    expect(tokens.every((token) => !('token' in token))).toBe(true)
    expect(await alice.client.revokeServiceToken(created.id)).toMatchObject({
      id: created.id,
      revoked_at: expect.any(String),
    })
    await expect(ci.listAgents()).rejects.toMatchObject({ code: 'INVALID_API_KEY' })
  })

  test('an approver approves with a TOTP code: waitForIntent reports pending_approval, keeps waiting, then confirmed', async () => {
    const { bob } = await team()
    const { agent, intent, approvalId } = await pendingIntent()
    const followed = follow(agent, intent.id)
    await vi.waitFor(() => expect(followed.statuses).toEqual(['pending_approval']))

    const approved = await bob.client.approve(approvalId, { totp_code: code(bob) })
    expect(approved).toMatchObject({
      id: approvalId,
      status: 'approved',
      rules: [{ rule: 'big', quorum: 1, approvals: 1 }],
      decisions: [{ account_id: bob.accountId, role: 'approver', decision: 'approve', factor: 'totp' }],
    })
    const done = await followed.done
    expect(done).toMatchObject({ id: intent.id, status: 'confirmed', tx_hash: expect.stringMatching(/^0x/) })
    expect(followed.statuses[0]).toBe('pending_approval')
    expect(followed.statuses.at(-1)).toBe('confirmed')
    // Decided: a second answer changes nothing.
    await expect(bob.client.approve(approvalId, proof(bob))).rejects.toMatchObject({
      code: 'APPROVAL_NOT_PENDING',
      details: { status: 'approved' },
    })
  })

  test('an approver denies: waitForIntent reports pending_approval, then resolves denied', async () => {
    const { alice } = await team()
    const { agent, intent, approvalId } = await pendingIntent()
    const followed = follow(agent, intent.id)
    await vi.waitFor(() => expect(followed.statuses).toEqual(['pending_approval']))

    const denied = await alice.client.deny(approvalId, proof(alice))
    expect(denied).toMatchObject({
      status: 'denied',
      decisions: [{ account_id: alice.accountId, decision: 'deny' }],
    })
    expect(await followed.done).toMatchObject({ id: intent.id, status: 'denied' })
    expect(followed.statuses).toEqual(['pending_approval', 'denied'])
  })

  test('error: a service token is refused with NOT_AN_APPROVER, approving or denying, and nothing is decided', async () => {
    const { alice } = await team()
    const { agent, intent, approvalId } = await pendingIntent()
    for (const decide of [service.approve, service.deny]) {
      await expect(decide(approvalId, { totp_code: '000000' })).rejects.toMatchObject({
        name: 'BursarApiError',
        code: 'NOT_AN_APPROVER',
        status: 403,
      })
    }
    expect(await alice.client.getApproval(approvalId)).toMatchObject({ status: 'pending', decisions: [] })
    expect((await agent.getIntent(intent.id)).status).toBe('pending_approval')
    await service.cancelIntent(intent.id)
  })
})
