import {
  type AccountRow,
  consumeWebauthnChallenge,
  findPasskey,
  insertAccount,
  insertWebauthnChallenge,
  listPasskeys,
} from '@bursar/store'
import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from '@bursar/testing/software-authenticator'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { finishPasskeyAuthentication } from './finishPasskeyAuthentication.ts'
import { finishPasskeyRegistration } from './finishPasskeyRegistration.ts'
import type { RelyingParty } from './RelyingParty.ts'
import { startPasskeyAuthentication } from './startPasskeyAuthentication.ts'
import { startPasskeyRegistration } from './startPasskeyRegistration.ts'

const rp: RelyingParty = { id: 'bursar.test', name: 'Bursar', origin: 'https://bursar.test' }
const phishingOrigin = 'https://bursar.test.phish.example'

const refused = (reason: string) => ({ code: 'PASSKEY_INVALID', status: 401, details: { reason } })
const clientDataJSON = (fields: Record<string, unknown>) =>
  Buffer.from(JSON.stringify(fields)).toString('base64url')

describe.each(testDbKinds)('passkeys on %s', (kind) => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb(kind)
  })
  afterAll(() => t.drop())

  let accounts = 0
  async function signUp(): Promise<AccountRow> {
    accounts += 1
    const account = await insertAccount(t.db, {
      email: `person-${accounts}@example.com`,
      passwordHash: 'x',
      instanceAdmin: false,
    })
    return account!
  }

  async function register(authenticator: SoftwareAuthenticator, account: AccountRow, name?: string) {
    const options = await startPasskeyRegistration(t.db, rp, account)
    return finishPasskeyRegistration(t.db, rp, account.id, authenticator.create(options), name)
  }

  async function counterOf(credentialId: string): Promise<number | undefined> {
    return (await findPasskey(t.db, credentialId))?.counter
  }

  test('registers a passkey, then signs in with it: the counter is stored and goes up with each use', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const options = await startPasskeyRegistration(t.db, rp, account)
    expect(options).toMatchObject({
      rp: { id: rp.id, name: rp.name },
      user: { id: Buffer.from(account.id).toString('base64url'), name: account.email },
      attestation: 'none',
      excludeCredentials: [],
      authenticatorSelection: { userVerification: 'preferred' },
    })
    const registration = laptop.create(options)
    const passkey = await finishPasskeyRegistration(t.db, rp, account.id, registration, 'laptop')
    expect(passkey).toMatchObject({
      id: expect.stringMatching(/^pk_/),
      account_id: account.id,
      credential_id: registration.id,
      counter: 0,
      transports: ['internal'],
      name: 'laptop',
      last_used_at: null,
    })
    expect(passkey).not.toHaveProperty('public_key')
    expect(await listPasskeys(t.db, account.id)).toHaveLength(1)

    const request = await startPasskeyAuthentication(t.db, rp, account.id)
    expect(request).toMatchObject({
      rpId: rp.id,
      userVerification: 'preferred',
      allowCredentials: [{ id: registration.id, type: 'public-key', transports: ['internal'] }],
    })
    expect(
      await finishPasskeyAuthentication(t.db, rp, laptop.get(request), { accountId: account.id }),
    ).toEqual({ accountId: account.id, passkeyId: passkey.id })
    const used = await findPasskey(t.db, registration.id)
    expect(used?.counter).toBe(1)
    expect(used?.last_used_at).toBeInstanceOf(Date)

    // A discoverable-credential login: nobody named beforehand, the passkey says whose it is.
    const anyone = await startPasskeyAuthentication(t.db, rp)
    expect(anyone.allowCredentials).toEqual([])
    expect(await finishPasskeyAuthentication(t.db, rp, laptop.get(anyone))).toEqual({
      accountId: account.id,
      passkeyId: passkey.id,
    })
    expect(await counterOf(registration.id)).toBe(2)
  })

  test('two passkeys on one account: the second registration excludes the first, and each signs in as itself', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const phone = createSoftwareAuthenticator({ origin: rp.origin })
    const first = await register(laptop, account, 'laptop')

    const options = await startPasskeyRegistration(t.db, rp, account)
    expect(options.excludeCredentials).toEqual([
      { id: first.credential_id, type: 'public-key', transports: ['internal'] },
    ])
    expect(() => laptop.create(options)).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    const second = await finishPasskeyRegistration(t.db, rp, account.id, phone.create(options), 'phone')
    expect(second.credential_id).not.toBe(first.credential_id)
    expect((await listPasskeys(t.db, account.id)).map((p) => p.name).sort()).toEqual(['laptop', 'phone'])

    const request = await startPasskeyAuthentication(t.db, rp, account.id)
    expect(request.allowCredentials?.map((c) => c.id).sort()).toEqual(
      [first.credential_id, second.credential_id].sort(),
    )
    expect(await finishPasskeyAuthentication(t.db, rp, phone.get(request))).toEqual({
      accountId: account.id,
      passkeyId: second.id,
    })
    const again = await startPasskeyAuthentication(t.db, rp, account.id)
    expect(await finishPasskeyAuthentication(t.db, rp, laptop.get(again))).toEqual({
      accountId: account.id,
      passkeyId: first.id,
    })
    expect(await counterOf(first.credential_id)).toBe(1)
    expect(await counterOf(second.credential_id)).toBe(1)
  })

  test('error: a registration made on another origin or for another RP ID → PASSKEY_INVALID, nothing stored', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const phished = laptop.create(await startPasskeyRegistration(t.db, rp, account), {
      origin: phishingOrigin,
    })
    await expect(finishPasskeyRegistration(t.db, rp, account.id, phished)).rejects.toMatchObject(
      refused('origin'),
    )
    const otherRp = laptop.create(await startPasskeyRegistration(t.db, rp, account), {
      rpId: 'phish.example',
    })
    await expect(finishPasskeyRegistration(t.db, rp, account.id, otherRp)).rejects.toMatchObject(
      refused('rp_id'),
    )
    expect(await listPasskeys(t.db, account.id)).toEqual([])
  })

  test("error: a registration answering another account's challenge → PASSKEY_INVALID challenge", async () => {
    const alice = await signUp()
    const mallory = await signUp()
    const options = await startPasskeyRegistration(t.db, rp, alice)
    const registration = createSoftwareAuthenticator({ origin: rp.origin }).create(options)
    await expect(finishPasskeyRegistration(t.db, rp, mallory.id, registration)).rejects.toMatchObject(
      refused('challenge'),
    )
    expect(await listPasskeys(t.db, mallory.id)).toEqual([])
  })

  test('error: a credential registered already, to this account or another → PASSKEY_INVALID credential_registered', async () => {
    const alice = await signUp()
    const bob = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const options = await startPasskeyRegistration(t.db, rp, alice)
    const registration = laptop.create(options)
    await finishPasskeyRegistration(t.db, rp, alice.id, registration)
    // Attestation 'none' signs nothing, so a captured registration can be resent under a fresh challenge.
    for (const account of [alice, bob]) {
      const fresh = await startPasskeyRegistration(t.db, rp, account)
      const resent = {
        ...registration,
        response: {
          ...registration.response,
          clientDataJSON: clientDataJSON({
            type: 'webauthn.create',
            challenge: fresh.challenge,
            origin: rp.origin,
          }),
        },
      }
      await expect(finishPasskeyRegistration(t.db, rp, account.id, resent)).rejects.toMatchObject(
        refused('credential_registered'),
      )
    }
    expect(await listPasskeys(t.db, alice.id)).toHaveLength(1)
    expect(await listPasskeys(t.db, bob.id)).toEqual([])
  })

  test('error: an assertion made on another origin or for another RP ID → PASSKEY_INVALID, counter unchanged', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const passkey = await register(laptop, account)
    const phished = laptop.get(await startPasskeyAuthentication(t.db, rp, account.id), {
      origin: phishingOrigin,
    })
    await expect(finishPasskeyAuthentication(t.db, rp, phished)).rejects.toMatchObject(refused('origin'))
    const otherRp = laptop.get(await startPasskeyAuthentication(t.db, rp, account.id), {
      rpId: 'phish.example',
    })
    await expect(finishPasskeyAuthentication(t.db, rp, otherRp)).rejects.toMatchObject(refused('rp_id'))
    expect(await findPasskey(t.db, passkey.credential_id)).toMatchObject({ counter: 0, last_used_at: null })
  })

  test("error: an assertion by another account's passkey → PASSKEY_INVALID account, nothing written", async () => {
    const alice = await signUp()
    const bob = await signUp()
    const bobs = createSoftwareAuthenticator({ origin: rp.origin })
    const bobsPasskey = await register(bobs, bob)
    await register(createSoftwareAuthenticator({ origin: rp.origin }), alice)

    // The caller expects Alice.
    const anyone = await startPasskeyAuthentication(t.db, rp)
    await expect(
      finishPasskeyAuthentication(t.db, rp, bobs.get(anyone), { accountId: alice.id }),
    ).rejects.toMatchObject(refused('account'))
    // The challenge was issued for Alice; Bob's authenticator answers it anyway.
    const forAlice = await startPasskeyAuthentication(t.db, rp, alice.id)
    const answered = bobs.get(forAlice, { credentialId: bobsPasskey.credential_id })
    await expect(finishPasskeyAuthentication(t.db, rp, answered)).rejects.toMatchObject(refused('account'))
    // The caller expects Alice, but the challenge was Bob's.
    const forBob = await startPasskeyAuthentication(t.db, rp, bob.id)
    await expect(
      finishPasskeyAuthentication(t.db, rp, bobs.get(forBob), { accountId: alice.id }),
    ).rejects.toMatchObject(refused('challenge'))
    expect(await findPasskey(t.db, bobsPasskey.credential_id)).toMatchObject({
      counter: 0,
      last_used_at: null,
    })
  })

  test('error: a replayed assertion (its challenge used already) → PASSKEY_INVALID challenge, counter not moved', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const passkey = await register(laptop, account)
    const request = await startPasskeyAuthentication(t.db, rp, account.id)
    const assertion = laptop.get(request)
    await finishPasskeyAuthentication(t.db, rp, assertion)
    await expect(finishPasskeyAuthentication(t.db, rp, assertion)).rejects.toMatchObject(refused('challenge'))
    // A fresh signature over the used challenge, with a counter that did go up, is no better.
    await expect(finishPasskeyAuthentication(t.db, rp, laptop.get(request))).rejects.toMatchObject(
      refused('challenge'),
    )
    expect(await counterOf(passkey.credential_id)).toBe(1)
  })

  test('race: one assertion sent three times at once → accepted once', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const passkey = await register(laptop, account)
    const assertion = laptop.get(await startPasskeyAuthentication(t.db, rp, account.id))
    const results = await Promise.allSettled(
      [0, 1, 2].map(() => finishPasskeyAuthentication(t.db, rp, assertion)),
    )
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect(result.reason).toMatchObject(refused('challenge'))
    }
    expect(await counterOf(passkey.credential_id)).toBe(1)
  })

  test('race: one challenge consumed three times at once → one of them gets it', async () => {
    const challenge = Buffer.from('race-challenge').toString('base64url')
    await insertWebauthnChallenge(t.db, {
      challenge,
      accountId: null,
      purpose: 'authenticate',
      expiresAt: new Date(Date.now() + 60_000),
    })
    const results = await Promise.all(
      [0, 1, 2].map(() => consumeWebauthnChallenge(t.db, { challenge, purpose: 'authenticate' })),
    )
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(results.find(Boolean)).toMatchObject({ challenge, used_at: expect.any(Date) })
  })

  test('error: an expired challenge → PASSKEY_INVALID challenge, for a registration and for an assertion', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const passkey = await register(laptop, account)
    const expiredAt = new Date(Date.now() - 60_000)

    const registrationOptions = await startPasskeyRegistration(t.db, rp, account)
    const expiredRegistration = Buffer.from(`expired-registration-${kind}`).toString('base64url')
    await insertWebauthnChallenge(t.db, {
      challenge: expiredRegistration,
      accountId: account.id,
      purpose: 'register',
      expiresAt: expiredAt,
    })
    const phone = createSoftwareAuthenticator({ origin: rp.origin })
    const late = phone.create({ ...registrationOptions, challenge: expiredRegistration })
    await expect(finishPasskeyRegistration(t.db, rp, account.id, late)).rejects.toMatchObject(
      refused('challenge'),
    )

    const expiredAssertion = Buffer.from(`expired-assertion-${kind}`).toString('base64url')
    await insertWebauthnChallenge(t.db, {
      challenge: expiredAssertion,
      accountId: account.id,
      purpose: 'authenticate',
      expiresAt: expiredAt,
    })
    const assertion = laptop.get({ challenge: expiredAssertion, rpId: rp.id })
    await expect(finishPasskeyAuthentication(t.db, rp, assertion)).rejects.toMatchObject(refused('challenge'))
    expect(await listPasskeys(t.db, account.id)).toHaveLength(1)
    expect(await counterOf(passkey.credential_id)).toBe(0)
  })

  test('error: a challenge of the other ceremony → PASSKEY_INVALID challenge', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    await register(laptop, account)
    const registrationOptions = await startPasskeyRegistration(t.db, rp, account)
    const assertion = laptop.get({ challenge: registrationOptions.challenge, rpId: rp.id })
    await expect(finishPasskeyAuthentication(t.db, rp, assertion)).rejects.toMatchObject(refused('challenge'))
  })

  test('error: a signature counter that went backwards, or stood still → PASSKEY_INVALID counter, counter kept', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const passkey = await register(laptop, account)
    for (let i = 0; i < 2; i++) {
      await finishPasskeyAuthentication(t.db, rp, laptop.get(await startPasskeyAuthentication(t.db, rp)))
    }
    expect(await counterOf(passkey.credential_id)).toBe(2)
    // A clone of the authenticator, taken when its counter was at 1, or at 2.
    for (const counter of [1, 2, 0]) {
      const cloned = laptop.get(await startPasskeyAuthentication(t.db, rp), { counter })
      await expect(finishPasskeyAuthentication(t.db, rp, cloned), String(counter)).rejects.toMatchObject(
        refused('counter'),
      )
    }
    expect(await counterOf(passkey.credential_id)).toBe(2)
    const ahead = laptop.get(await startPasskeyAuthentication(t.db, rp), { counter: 7 })
    await finishPasskeyAuthentication(t.db, rp, ahead)
    expect(await counterOf(passkey.credential_id)).toBe(7)
  })

  test('an authenticator that keeps no counter (always 0) signs in every time', async () => {
    const account = await signUp()
    const key = createSoftwareAuthenticator({ origin: rp.origin, counterStep: 0 })
    const passkey = await register(key, account)
    for (let i = 0; i < 3; i++) {
      expect(
        await finishPasskeyAuthentication(t.db, rp, key.get(await startPasskeyAuthentication(t.db, rp))),
      ).toEqual({ accountId: account.id, passkeyId: passkey.id })
    }
    expect(await findPasskey(t.db, passkey.credential_id)).toMatchObject({
      counter: 0,
      last_used_at: expect.any(Date),
    })
  })

  test('error: an unknown credential → PASSKEY_INVALID unknown_credential', async () => {
    const account = await signUp()
    await register(createSoftwareAuthenticator({ origin: rp.origin }), account)
    const stranger = createSoftwareAuthenticator({ origin: rp.origin })
    // A credential made for the RP but never registered (its registration was never sent).
    stranger.create(await startPasskeyRegistration(t.db, rp, account))
    const assertion = stranger.get(await startPasskeyAuthentication(t.db, rp))
    await expect(finishPasskeyAuthentication(t.db, rp, assertion)).rejects.toMatchObject(
      refused('unknown_credential'),
    )
  })

  test('error: a tampered assertion (the counter changed after signing) → PASSKEY_INVALID signature', async () => {
    const account = await signUp()
    const laptop = createSoftwareAuthenticator({ origin: rp.origin })
    const passkey = await register(laptop, account)
    const assertion = laptop.get(await startPasskeyAuthentication(t.db, rp))
    const authenticatorData = Buffer.from(assertion.response.authenticatorData, 'base64url')
    authenticatorData.writeUInt32BE(1000, authenticatorData.length - 4)
    const tampered = {
      ...assertion,
      response: { ...assertion.response, authenticatorData: authenticatorData.toString('base64url') },
    }
    await expect(finishPasskeyAuthentication(t.db, rp, tampered)).rejects.toMatchObject(refused('signature'))
    expect(await counterOf(passkey.credential_id)).toBe(0)
  })
})
