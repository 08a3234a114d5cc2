/**
 * Passkeys over the API (issue 8), with a software authenticator: several per account, sign-in with one, step-up
 * and an approval proven with one; another origin's answer, another account's passkey and a replayed assertion are
 * refused and change nothing.
 */
import { createSoftwareAuthenticator } from '@bursar/testing/software-authenticator'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'

const origin = 'https://bursar.test'
const password = 'correct horse battery staple'

describe('passkeys (PostgreSQL)', () => {
  const stack = useTestStack({ executor: false, config: { publicOrigins: [origin] } })
  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    stack.bursar.http(method, path, {
      ...(token === undefined ? {} : { token }),
      ...(body === undefined ? {} : { body }),
    })

  async function person(email: string, invitation?: string) {
    const created = await call('POST', '/v1/auth/sign-up', undefined, {
      email,
      password,
      ...(invitation === undefined ? {} : { invitation }),
    })
    expect(created.status).toBe(201)
    const authenticator = createSoftwareAuthenticator({ origin })
    const token = created.body.token as string
    const options = await call('POST', '/v1/auth/passkeys/options', token)
    expect(options.status).toBe(200)
    const registered = await call('POST', '/v1/auth/passkeys', token, {
      response: authenticator.create(options.body),
      name: 'laptop',
      password,
    })
    expect(registered.status).toBe(201)
    return { accountId: created.body.account.id as string, token, authenticator }
  }

  test('register two passkeys, sign in with one (stepped up), and prove one for step-up', async () => {
    const first = await call('POST', '/v1/invitations', stack.bursar.ownerToken, {
      email: 'ada@example.com',
      role: 'admin',
    })
    const ada = await person('ada@example.com', first.body.token)
    // A second passkey needs step-up now that the account has a factor: prove the first.
    const second = await call('POST', '/v1/auth/passkeys/options', ada.token)
    const tablet = createSoftwareAuthenticator({ origin })
    const refused = await call('POST', '/v1/auth/passkeys', ada.token, {
      response: tablet.create(second.body),
    })
    expect([refused.status, refused.body.error.code]).toEqual([401, 'SECOND_FACTOR_REQUIRED'])
    const stepOptions = await call('POST', '/v1/auth/step-up/options', ada.token)
    const stepped = await call('POST', '/v1/auth/step-up', ada.token, {
      passkey: ada.authenticator.get(stepOptions.body),
    })
    expect(stepped.status).toBe(200)
    const phone = createSoftwareAuthenticator({ origin })
    const again = await call('POST', '/v1/auth/passkeys/options', ada.token)
    expect(
      (
        await call('POST', '/v1/auth/passkeys', ada.token, {
          response: phone.create(again.body),
          name: 'phone',
        })
      ).status,
    ).toBe(201)
    const listed = await call('GET', '/v1/auth/passkeys', ada.token)
    expect(listed.body.data.map((p: { name: string }) => p.name)).toEqual(['laptop', 'phone'])

    const loginOptions = await call('POST', '/v1/auth/passkey-login/options', undefined)
    const login = await call('POST', '/v1/auth/passkey-login', undefined, {
      response: phone.get(loginOptions.body),
    })
    expect(login.status).toBe(200)
    expect(login.body.account.id).toBe(ada.accountId)
    expect(login.body.session.step_up_at).toEqual(expect.any(String))
    // The new session works, and may do what needs step-up right away.
    const invited = await call('POST', '/v1/invitations', login.body.token, {
      email: 'bob@example.com',
      role: 'approver',
    })
    expect(invited.status).toBe(201)
  })

  test('error: another origin, a replayed assertion and another account’s passkey are refused', async () => {
    const ada = (await call('POST', '/v1/auth/login', undefined, { email: 'ada@example.com', password })).body
    expect(ada.token).toEqual(expect.any(String))
    const eve = await person(
      'eve@example.com',
      (
        await call('POST', '/v1/invitations', stack.bursar.ownerToken, {
          email: 'eve@example.com',
          role: 'approver',
        })
      ).body.token,
    )

    const options = await call('POST', '/v1/auth/passkey-login/options', undefined)
    const phished = eve.authenticator.get(options.body, { origin: 'https://bursar.evil' })
    const wrongOrigin = await call('POST', '/v1/auth/passkey-login', undefined, { response: phished })
    expect([wrongOrigin.status, wrongOrigin.body.error.code, wrongOrigin.body.error.details.reason]).toEqual([
      401,
      'PASSKEY_INVALID',
      'origin',
    ])

    const fresh = await call('POST', '/v1/auth/passkey-login/options', undefined)
    const answer = eve.authenticator.get(fresh.body)
    expect((await call('POST', '/v1/auth/passkey-login', undefined, { response: answer })).status).toBe(200)
    const replayed = await call('POST', '/v1/auth/passkey-login', undefined, { response: answer })
    expect([replayed.status, replayed.body.error.code]).toEqual([401, 'PASSKEY_INVALID'])

    // A session alone cannot plant the first passkey of an account: the password is asked for.
    const invite = await call('POST', '/v1/invitations', stack.bursar.ownerToken, {
      email: 'sam@example.com',
      role: 'viewer',
    })
    const sam = await call('POST', '/v1/auth/sign-up', undefined, {
      email: 'sam@example.com',
      password,
      invitation: invite.body.token,
    })
    const samOptions = await call('POST', '/v1/auth/passkeys/options', sam.body.token)
    const planted = await call('POST', '/v1/auth/passkeys', sam.body.token, {
      response: createSoftwareAuthenticator({ origin }).create(samOptions.body),
    })
    expect([planted.status, planted.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS'])
    expect((await call('GET', '/v1/auth/passkeys', sam.body.token)).body.data).toEqual([])

    // Eve's passkey cannot step up Ada's session.
    const adaOptions = await call('POST', '/v1/auth/step-up/options', ada.token)
    const foreign = await call('POST', '/v1/auth/step-up', ada.token, {
      passkey: eve.authenticator.get({ ...adaOptions.body, allowCredentials: [] }),
    })
    expect([foreign.status, foreign.body.error.code]).toEqual([401, 'PASSKEY_INVALID'])
    const me = await call('GET', '/v1/auth/me', ada.token)
    expect(me.body.session.step_up_at).toBeNull()
  })
})
