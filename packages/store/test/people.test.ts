import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Db, Sql } from '../src/index.ts'
import {
  acceptInvitation,
  findAccountByEmail,
  findInvitation,
  findPasskey,
  getAccount,
  getMembership,
  getOrganisation,
  insertAccount,
  insertInvitation,
  insertMembership,
  insertOrganisation,
  insertPasskey,
  listMembers,
  listMemberships,
  listPasskeys,
  listRecoveryCodes,
  readAccountCredentials,
  readTotpSecret,
  recordTotpStep,
  replaceRecoveryCodes,
  secretKind,
  setTotp,
  updatePasskeyCounter,
  useRecoveryCodeSlot,
} from '../src/index.ts'

const sealed = { v: 1, iv: 'aXY', ct: 'Y3Q', tag: 'dGFn' }

/**
 * The worst interleaving, made certain: `run` in one transaction, held open for a while once it has done its work,
 * and `run` again in a second transaction that starts meanwhile (on PostgreSQL it runs into the first one's locks;
 * PGlite queues it behind). Both results, in that order.
 */
async function heldRace<T>(db: Db, run: (tx: Sql) => Promise<T>): Promise<[T, T]> {
  let done!: () => void
  const worked = new Promise<void>((resolve) => {
    done = resolve
  })
  const first = db.transaction(async (tx) => {
    const result = await run(tx)
    done()
    await new Promise((resolve) => setTimeout(resolve, 150))
    return result
  })
  await worked
  const second = db.transaction(run)
  return [await first, await second]
}

describe.each(testDbKinds)('people on %s', (kind) => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb(kind)
  })
  afterAll(() => t.drop())

  const signUp = (email: string) =>
    t.db.transaction((tx) =>
      insertAccount(tx, { email, passwordHash: '$argon2id$v=19$stub', instanceAdmin: true }),
    )

  test('race: five concurrent sign-ups that each may be instance admin make exactly one', async () => {
    const accounts = await Promise.all([0, 1, 2, 3, 4].map((i) => signUp(`first${i}@example.com`)))
    expect(accounts.every((account) => account !== undefined)).toBe(true)
    expect(accounts.filter((account) => account!.instance_admin)).toHaveLength(1)
    expect((await signUp('later@example.com'))!.instance_admin).toBe(false)
  })

  test('race: a first sign-up still in flight holds back the next one, which is no instance admin', async () => {
    const own = await createTestDb(kind)
    try {
      let n = 0
      const [first, second] = await heldRace(own.db, (tx) =>
        insertAccount(tx, { email: `held${n++}@example.com`, passwordHash: 'h', instanceAdmin: true }),
      )
      expect(first!.instance_admin).toBe(true)
      expect(second!.instance_admin).toBe(false)
    } finally {
      await own.drop()
    }
  })

  test('accounts: the email is kept as typed, found and kept unique case-folded', async () => {
    const account = await signUp('Ada.Lovelace@Example.com')
    expect(account).toEqual({
      id: expect.stringMatching(/^acc_[0-9a-z]+$/),
      email: 'Ada.Lovelace@Example.com',
      instance_admin: false,
      totp_last_step: null,
      totp_enabled_at: null,
      created_at: expect.any(Date),
    })
    expect(await findAccountByEmail(t.db, 'ada.lovelace@example.COM')).toEqual(account)
    expect(await getAccount(t.db, account!.id)).toEqual(account)
    expect(await t.db.transaction((tx) => getAccount(tx, account!.id, { forUpdate: true }))).toEqual(account)
    expect(await signUp('ADA.LOVELACE@example.com')).toBeUndefined()
    expect(await findAccountByEmail(t.db, 'nobody@example.com')).toBeUndefined()
    expect(await getAccount(t.db, 'acc_missing')).toBeUndefined()
  })

  test('accounts: the password hash and the TOTP secret come only from readAccountCredentials and readTotpSecret', async () => {
    const account = (await signUp('secrets@example.com'))!
    await setTotp(t.db, account.id, sealed)
    for (const row of [
      account,
      await getAccount(t.db, account.id),
      await findAccountByEmail(t.db, 'secrets@example.com'),
      await setTotp(t.db, account.id, sealed),
    ]) {
      expect(Object.keys(row!)).not.toContain('password_hash')
      expect(Object.keys(row!)).not.toContain('totp_secret')
      expect(JSON.stringify(row)).not.toContain('stub')
    }
    const credentials = { id: account.id, password_hash: '$argon2id$v=19$stub' }
    expect(await readAccountCredentials(t.db, { accountId: account.id })).toEqual(credentials)
    expect(await readAccountCredentials(t.db, { email: 'SECRETS@example.com' })).toEqual(credentials)
    expect(await readAccountCredentials(t.db, { email: 'nobody@example.com' })).toBeUndefined()
    expect(await readAccountCredentials(t.db, { accountId: 'acc_missing' })).toBeUndefined()
    expect(await readTotpSecret(t.db, account.id)).toEqual(sealed)
    await setTotp(t.db, account.id, null)
    expect(await readTotpSecret(t.db, account.id)).toBeUndefined()
    expect(await readTotpSecret(t.db, 'acc_missing')).toBeUndefined()
  })

  test('TOTP: a new secret is no factor until a code confirms it; each step works once', async () => {
    const account = (await signUp('totp@example.com'))!
    const stored = await setTotp(t.db, account.id, sealed)
    expect(stored).toMatchObject({ totp_last_step: null, totp_enabled_at: null })
    expect(await readTotpSecret(t.db, account.id)).toEqual(sealed)
    // Not enabled yet: only a confirming code is taken.
    expect(await recordTotpStep(t.db, account.id, 100)).toBe(false)
    expect(await recordTotpStep(t.db, account.id, 100, { confirm: true })).toBe(true)
    const enabled = (await getAccount(t.db, account.id))!
    expect(enabled.totp_last_step).toBe(100)
    expect(enabled.totp_enabled_at).toBeInstanceOf(Date)
    expect(await recordTotpStep(t.db, account.id, 100)).toBe(false)
    expect(await recordTotpStep(t.db, account.id, 99)).toBe(false)
    expect(await recordTotpStep(t.db, account.id, 101)).toBe(true)
    expect((await getAccount(t.db, account.id))!.totp_enabled_at).toEqual(enabled.totp_enabled_at)
    // A new secret starts over; null removes TOTP.
    expect(await setTotp(t.db, account.id, sealed)).toMatchObject({
      totp_last_step: null,
      totp_enabled_at: null,
    })
    expect(await setTotp(t.db, account.id, null)).toMatchObject({ totp_enabled_at: null })
    expect(await readTotpSecret(t.db, account.id)).toBeUndefined()
    expect(await recordTotpStep(t.db, account.id, 200, { confirm: true })).toBe(false)
    expect(await setTotp(t.db, 'acc_missing', sealed)).toBeUndefined()
  })

  test('race: two concurrent uses of one TOTP step → exactly one passes', async () => {
    const account = (await signUp('totp-race@example.com'))!
    await setTotp(t.db, account.id, sealed)
    await recordTotpStep(t.db, account.id, 1000, { confirm: true })
    for (const step of [1001, 1002, 1003]) {
      const results = await Promise.all(
        [0, 1].map(() => t.db.transaction((tx) => recordTotpStep(tx, account.id, step))),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
    }
    expect(await heldRace(t.db, (tx) => recordTotpStep(tx, account.id, 1004))).toEqual([true, false])
    expect((await getAccount(t.db, account.id))!.totp_last_step).toBe(1004)
  })

  test('recovery codes: listed by index, used ones as null; each works once; a new set replaces the old', async () => {
    const account = (await signUp('recovery@example.com'))!
    expect(await listRecoveryCodes(t.db, account.id)).toEqual([])
    await replaceRecoveryCodes(t.db, account.id, ['h0', 'h1', 'h2'])
    expect(await listRecoveryCodes(t.db, account.id)).toEqual(['h0', 'h1', 'h2'])
    expect(await useRecoveryCodeSlot(t.db, account.id, 1)).toBe(true)
    expect(await useRecoveryCodeSlot(t.db, account.id, 1)).toBe(false)
    expect(await useRecoveryCodeSlot(t.db, account.id, 7)).toBe(false)
    expect(await listRecoveryCodes(t.db, account.id)).toEqual(['h0', null, 'h2'])
    await replaceRecoveryCodes(t.db, account.id, ['n0', 'n1'])
    expect(await listRecoveryCodes(t.db, account.id)).toEqual(['n0', 'n1'])
    expect(await useRecoveryCodeSlot(t.db, account.id, 2)).toBe(false)
    await replaceRecoveryCodes(t.db, account.id, [])
    expect(await listRecoveryCodes(t.db, account.id)).toEqual([])
  })

  test('race: one recovery code used twice at once → used once', async () => {
    const account = (await signUp('recovery-race@example.com'))!
    await replaceRecoveryCodes(t.db, account.id, ['a', 'b'])
    const results = await Promise.all(
      [0, 1, 2].map(() => t.db.transaction((tx) => useRecoveryCodeSlot(tx, account.id, 0))),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await heldRace(t.db, (tx) => useRecoveryCodeSlot(tx, account.id, 1))).toEqual([true, false])
    expect(await listRecoveryCodes(t.db, account.id)).toEqual([null, null])
  })

  test('passkeys: several per account, a credential id once, the counter only goes up', async () => {
    const account = (await signUp('passkey@example.com'))!
    const other = (await signUp('passkey-other@example.com'))!
    const first = await insertPasskey(t.db, {
      accountId: account.id,
      credentialId: 'Y3JlZC0x',
      publicKey: 'cHVibGljLTE',
      counter: 0,
      transports: ['internal', 'hybrid'],
      name: 'laptop',
    })
    expect(first).toMatchObject({
      id: expect.stringMatching(/^pk_/),
      account_id: account.id,
      credential_id: 'Y3JlZC0x',
      public_key: 'cHVibGljLTE',
      counter: 0,
      transports: ['internal', 'hybrid'],
      name: 'laptop',
      last_used_at: null,
    })
    const second = await insertPasskey(t.db, {
      accountId: account.id,
      credentialId: 'Y3JlZC0y',
      publicKey: 'cHVibGljLTI',
      counter: 5,
      transports: [],
      name: null,
    })
    expect(
      await insertPasskey(t.db, {
        accountId: other.id,
        credentialId: 'Y3JlZC0x',
        publicKey: 'eA',
        counter: 0,
        transports: [],
        name: null,
      }),
    ).toBeUndefined()
    // Two made back to back can share a timestamp (PGlite's clock is coarse), so compare the set.
    expect((await listPasskeys(t.db, account.id)).map((p) => p.id).sort()).toEqual(
      [first!.id, second!.id].sort(),
    )
    expect(await listPasskeys(t.db, other.id)).toEqual([])
    expect(await findPasskey(t.db, 'Y3JlZC0y')).toEqual(second)
    expect(await findPasskey(t.db, 'bm9uZQ')).toBeUndefined()

    // A counter-less authenticator stays at 0; one with a counter must move it forward.
    const zero = await updatePasskeyCounter(t.db, {
      accountId: account.id,
      credentialId: 'Y3JlZC0x',
      counter: 0,
    })
    expect(zero).toMatchObject({ counter: 0, last_used_at: expect.any(Date) })
    const update = (credentialId: string, counter: number, accountId = account.id) =>
      updatePasskeyCounter(t.db, { accountId, credentialId, counter })
    expect(await update('Y3JlZC0y', 5)).toBeUndefined()
    expect(await update('Y3JlZC0y', 4)).toBeUndefined()
    expect(await update('Y3JlZC0y', 6, other.id)).toBeUndefined()
    expect(await update('Y3JlZC0y', 6)).toMatchObject({ counter: 6 })
    expect(await update('Y3JlZC0y', 0)).toBeUndefined()
    expect((await findPasskey(t.db, 'Y3JlZC0y'))!.counter).toBe(6)
  })

  test('organisations and memberships: one role per organisation, listed both ways', async () => {
    const admin = (await signUp('org-admin@example.com'))!
    const viewer = (await signUp('org-viewer@example.com'))!
    const org = await insertOrganisation(t.db, 'Acme')
    expect(org).toMatchObject({ id: expect.stringMatching(/^org_/), name: 'Acme' })
    expect(await getOrganisation(t.db, org.id)).toEqual(org)
    expect(await getOrganisation(t.db, 'org_missing')).toBeUndefined()
    const other = await insertOrganisation(t.db, 'Other')

    const membership = await insertMembership(t.db, {
      orgId: org.id,
      accountId: admin.id,
      role: 'admin',
    })
    expect(membership).toMatchObject({ org_id: org.id, account_id: admin.id, role: 'admin' })
    await insertMembership(t.db, { orgId: other.id, accountId: admin.id, role: 'approver' })
    await insertMembership(t.db, { orgId: org.id, accountId: viewer.id, role: 'viewer' })
    // A second membership of the same organisation is refused and changes nothing.
    expect(
      await insertMembership(t.db, { orgId: org.id, accountId: viewer.id, role: 'admin' }),
    ).toBeUndefined()

    expect(await getMembership(t.db, org.id, viewer.id)).toMatchObject({ role: 'viewer' })
    expect(await getMembership(t.db, other.id, viewer.id)).toBeUndefined()
    expect((await listMemberships(t.db, admin.id)).map((m) => [m.org_id, m.org_name, m.role])).toEqual([
      [org.id, 'Acme', 'admin'],
      [other.id, 'Other', 'approver'],
    ])
    expect((await listMembers(t.db, org.id)).map((m) => [m.email, m.role])).toEqual([
      ['org-admin@example.com', 'admin'],
      ['org-viewer@example.com', 'viewer'],
    ])
    await expect(
      t.db.query(`insert into memberships (org_id, account_id, role) values ($1, $2, 'owner')`, [
        other.id,
        viewer.id,
      ]),
    ).rejects.toMatchObject({ code: '23514' })
  })

  test('invitations: the token is shown once, found while open, accepted once by the invited email', async () => {
    const admin = (await signUp('inviter@example.com'))!
    const org = await insertOrganisation(t.db, 'Invites')
    const { invitation, secret } = await insertInvitation(t.db, {
      orgId: org.id,
      email: 'Bo@Example.com',
      role: 'approver',
      ttlSeconds: 3600,
      createdBy: admin.id,
    })
    expect(secret).toMatch(/^bsr_inv_[A-Za-z0-9_-]{43}$/)
    expect(secretKind(secret)).toBe('invitation')
    expect(invitation).toMatchObject({
      id: expect.stringMatching(/^inv_/),
      org_id: org.id,
      email: 'Bo@Example.com',
      role: 'approver',
      created_by: admin.id,
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    })
    expect(invitation.expires_at.getTime() - invitation.created_at.getTime()).toBe(3_600_000)
    expect(JSON.stringify(invitation)).not.toContain(secret)
    const [stored] = await t.db.query<{ token_hash: string }>(
      'select token_hash from invitations where id = $1',
      [invitation.id],
    )
    expect(stored!.token_hash).not.toContain(secret)
    expect(await findInvitation(t.db, secret)).toEqual(invitation)
    expect(await findInvitation(t.db, `${secret}x`)).toBeUndefined()

    // Someone else holding the link cannot use it.
    const stranger = (await signUp('stranger@example.com'))!
    expect(await acceptInvitation(t.db, { secret, accountId: stranger.id })).toBeUndefined()
    expect(await getMembership(t.db, org.id, stranger.id)).toBeUndefined()

    const bo = (await signUp('bo@example.com'))!
    const accepted = await acceptInvitation(t.db, { secret, accountId: bo.id })
    expect(accepted).toMatchObject({
      invitation: { id: invitation.id, accepted_by: bo.id, accepted_at: expect.any(Date) },
      membership: { org_id: org.id, account_id: bo.id, role: 'approver' },
    })
    expect(await acceptInvitation(t.db, { secret, accountId: bo.id })).toBeUndefined()
    expect(await findInvitation(t.db, secret)).toBeUndefined()
  })

  test('invitations: an existing member keeps their role; an expired or revoked invitation is refused', async () => {
    const admin = (await signUp('inviter2@example.com'))!
    const member = (await signUp('member2@example.com'))!
    const org = await insertOrganisation(t.db, 'Invites 2')
    await insertMembership(t.db, { orgId: org.id, accountId: member.id, role: 'viewer' })
    const invite = (email: string, ttlSeconds = 3600) =>
      insertInvitation(t.db, { orgId: org.id, email, role: 'admin', ttlSeconds, createdBy: admin.id })

    const again = await invite('member2@example.com')
    expect(await acceptInvitation(t.db, { secret: again.secret, accountId: member.id })).toMatchObject({
      membership: { role: 'viewer' },
    })

    const late = (await signUp('late@example.com'))!
    const expired = await invite('late@example.com', 0)
    expect(await findInvitation(t.db, expired.secret)).toBeUndefined()
    expect(await acceptInvitation(t.db, { secret: expired.secret, accountId: late.id })).toBeUndefined()

    const revoked = await invite('late@example.com')
    await t.db.query('update invitations set revoked_at = now() where id = $1', [revoked.invitation.id])
    expect(await acceptInvitation(t.db, { secret: revoked.secret, accountId: late.id })).toBeUndefined()
    expect(await getMembership(t.db, org.id, late.id)).toBeUndefined()
  })

  test('race: one invitation accepted twice at once → accepted once, one membership', async () => {
    const admin = (await signUp('inviter3@example.com'))!
    const org = await insertOrganisation(t.db, 'Invites 3')
    const invitee = (await signUp('racer@example.com'))!
    const { secret } = await insertInvitation(t.db, {
      orgId: org.id,
      email: 'racer@example.com',
      role: 'viewer',
      ttlSeconds: 3600,
      createdBy: admin.id,
    })
    const results = await Promise.all(
      [0, 1, 2].map(() => t.db.transaction((tx) => acceptInvitation(tx, { secret, accountId: invitee.id }))),
    )
    expect(results.filter((result) => result !== undefined)).toHaveLength(1)
    expect(await listMembers(t.db, org.id)).toHaveLength(1)

    const again = await insertInvitation(t.db, {
      orgId: org.id,
      email: 'racer@example.com',
      role: 'admin',
      ttlSeconds: 3600,
      createdBy: admin.id,
    })
    const [first, second] = await heldRace(t.db, (tx) =>
      acceptInvitation(tx, { secret: again.secret, accountId: invitee.id }),
    )
    expect(first).toBeDefined()
    expect(second).toBeUndefined()
  })
})
