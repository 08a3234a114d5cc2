/**
 * Accounts and sessions over the API (issue 8): sign-up rules, login with and without TOTP, sessions as bearer tokens
 * or cookies with an Origin check, step-up for sensitive routes, password change, logout, and login throttling that
 * delays but never locks out. Every refusal has its stable code and changes nothing.
 */
import { useTestStack } from '@bursar/testing/stack'
import { generateSync } from 'otplib'
import { describe, expect, test } from 'vitest'

const password = 'correct horse battery staple'
const policy = { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } }

describe('accounts and sessions (PostgreSQL)', () => {
  const stack = useTestStack({ executor: false, listen: false })
  const call = (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => stack.bursar.http(method, path, options)

  test('sign-up: once an organisation exists nobody gets in uninvited; the setup token invites the first person, as instance admin', async () => {
    const uninvited = await call('POST', '/v1/auth/sign-up', { body: { email: 'Ada@Example.com', password } })
    expect([uninvited.status, uninvited.body.error.code]).toEqual([403, 'SIGN_UP_CLOSED'])
    const invitation = await call('POST', '/v1/invitations', {
      token: stack.bursar.ownerToken,
      body: { email: 'ada@example.com', role: 'admin', instance_admin: true },
    })
    const first = await call('POST', '/v1/auth/sign-up', {
      body: { email: 'Ada@Example.com', password, invitation: invitation.body.token },
    })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({
      account: { email: 'Ada@Example.com', instance_admin: true, totp_enabled: false },
      memberships: [{ org_id: stack.bursar.ownerId, role: 'admin' }],
      token: expect.stringMatching(/^bsr_ses_/),
    })
    const closed = await call('POST', '/v1/auth/sign-up', { body: { email: 'bob@example.com', password } })
    expect([closed.status, closed.body.error.code]).toEqual([403, 'SIGN_UP_CLOSED'])
    // Without a valid invitation nothing is said about which emails have accounts.
    const taken = await call('POST', '/v1/auth/sign-up', { body: { email: 'ada@example.com', password } })
    expect([taken.status, taken.body.error.code]).toEqual([403, 'SIGN_UP_CLOSED'])
    const weakInvite = await call('POST', '/v1/invitations', {
      token: stack.bursar.ownerToken,
      body: { email: 'weak@example.com', role: 'viewer' },
    })
    const weak = await call('POST', '/v1/auth/sign-up', {
      body: { email: 'weak@example.com', password: 'short', invitation: weakInvite.body.token },
    })
    expect([weak.status, weak.body.error.code]).toEqual([400, 'PASSWORD_TOO_WEAK'])
    // A member's invitation cannot hand on the instance admin role.
    const adminToken = await call('POST', '/v1/service-tokens', {
      token: stack.bursar.ownerToken,
      body: { name: 'automation', role: 'admin' },
    })
    const handOn = await call('POST', '/v1/invitations', {
      token: adminToken.body.token,
      body: { email: 'x@example.com', role: 'admin', instance_admin: true },
    })
    expect([handOn.status, handOn.body.error.code]).toEqual([403, 'INSTANCE_ADMIN_REQUIRED'])

    const invited = await call('POST', '/v1/invitations', {
      token: stack.bursar.ownerToken,
      body: { email: 'bob@example.com', role: 'viewer' },
    })
    const forwarded = await call('POST', '/v1/auth/sign-up', {
      body: { email: 'mallory@example.com', password, invitation: invited.body.token },
    })
    expect([forwarded.status, forwarded.body.error.code]).toEqual([400, 'INVITATION_INVALID'])
    const bob = await call('POST', '/v1/auth/sign-up', {
      body: { email: 'bob@example.com', password, invitation: invited.body.token },
    })
    expect(bob.status).toBe(201)
    expect(bob.body.account.instance_admin).toBe(false)
    expect(bob.body.memberships).toEqual([expect.objectContaining({ role: 'viewer' })])
    const reused = await call('POST', '/v1/auth/sign-up', {
      body: { email: 'bob2@example.com', password, invitation: invited.body.token },
    })
    expect(reused.body.error.code).toBe('INVITATION_INVALID')
  })

  test('login: wrong password refused; with TOTP enabled the code is required; sessions listed and ended', async () => {
    const wrong = await call('POST', '/v1/auth/login', {
      body: { email: 'ada@example.com', password: 'not the password' },
    })
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS'])
    const nobody = await call('POST', '/v1/auth/login', { body: { email: 'nobody@example.com', password } })
    expect(nobody.body.error.message).toBe(wrong.body.error.message)

    const login = await call('POST', '/v1/auth/login', { body: { email: 'ada@example.com', password } })
    expect(login.status).toBe(200)
    const token = login.body.token as string
    const started = await call('POST', '/v1/auth/totp', { token, body: { password } })
    const secret = new URL(started.body.uri).searchParams.get('secret')!
    expect(started.body.qr_svg).toContain('<svg')
    const step = Math.floor(Date.now() / 30_000)
    const confirmed = await call('POST', '/v1/auth/totp/confirm', {
      token,
      body: { code: generateSync({ secret, epoch: step * 30 }) },
    })
    expect(confirmed.status).toBe(200)
    expect(confirmed.body.recovery_codes).toHaveLength(10)
    const again = await call('POST', '/v1/auth/totp', { token, body: { password } })
    expect(again.body.error.code).toBe('TOTP_ALREADY_ENABLED')

    const noCode = await call('POST', '/v1/auth/login', { body: { email: 'ada@example.com', password } })
    expect([noCode.status, noCode.body.error.code]).toEqual([401, 'SECOND_FACTOR_REQUIRED'])
    const replay = await call('POST', '/v1/auth/login', {
      body: { email: 'ada@example.com', password, totp_code: generateSync({ secret, epoch: step * 30 }) },
    })
    expect([replay.status, replay.body.error.code]).toEqual([401, 'TOTP_INVALID'])
    const withCode = await call('POST', '/v1/auth/login', {
      body: {
        email: 'ada@example.com',
        password,
        totp_code: generateSync({ secret, epoch: (step + 1) * 30 }),
      },
    })
    expect(withCode.status).toBe(200)
    expect(withCode.body.session.step_up_at).toEqual(expect.any(String))

    const sessions = await call('GET', '/v1/auth/sessions', { token: withCode.body.token })
    expect(sessions.body.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1)
    const ended = await call('DELETE', `/v1/auth/sessions/${login.body.session.id}`, {
      token: withCode.body.token,
    })
    expect(ended.status).toBe(200)
    const gone = await call('GET', '/v1/auth/me', { token })
    expect([gone.status, gone.body.error.code]).toEqual([401, 'SESSION_EXPIRED'])
  })

  test('step-up: a session without a fresh second factor cannot change a policy; a service token can', async () => {
    const { agentId } = await stack.bursar.createAgent({ policy })
    const bobLogin = await call('POST', '/v1/auth/login', { body: { email: 'bob@example.com', password } })
    // Bob is a viewer: refused for the role first.
    const viewer = await call('PUT', `/v1/agents/${agentId}/policy`, {
      token: bobLogin.body.token,
      body: policy,
    })
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 'ROLE_FORBIDDEN'])
    // Ada, admin, logged in with a recovery code long ago would need step-up; a fresh login with a code has it.
    const adaMembers = await call('GET', '/v1/members', { token: stack.bursar.ownerToken })
    const bob = adaMembers.body.data.find((m: { email: string }) => m.email === 'bob@example.com')
    const promote = await call('PUT', `/v1/members/${bob.account_id}`, {
      token: stack.bursar.ownerToken,
      body: { role: 'admin' },
    })
    expect(promote.body.role).toBe('admin')
    const noStepUp = await call('PUT', `/v1/agents/${agentId}/policy`, {
      token: bobLogin.body.token,
      body: policy,
    })
    expect([noStepUp.status, noStepUp.body.error.code]).toEqual([401, 'SECOND_FACTOR_REQUIRED'])
    const service = await call('PUT', `/v1/agents/${agentId}/policy`, {
      token: stack.bursar.ownerToken,
      body: policy,
    })
    expect(service.status).toBe(200)
    // The organisation keeps an admin whatever happens.
    const members = (await call('GET', '/v1/members', { token: stack.bursar.ownerToken })).body.data
    for (const member of members)
      await call('PUT', `/v1/members/${member.account_id}`, {
        token: stack.bursar.ownerToken,
        body: { role: 'viewer' },
      })
    const last = (await call('GET', '/v1/members', { token: stack.bursar.ownerToken })).body.data
    expect(last.filter((m: { role: string }) => m.role === 'admin')).toHaveLength(1)
  })

  test('cookie sessions: a change without this server’s Origin is refused (CSRF); reads and same-origin changes work', async () => {
    const login = await call('POST', '/v1/auth/login', {
      body: { email: 'bob@example.com', password, session: 'cookie' },
    })
    expect(login.status).toBe(200)
    expect(login.body.token).toBeUndefined()
    expect(login.headers['set-cookie']).toMatch(
      /^__Host-bursar_session=bsr_ses_.+; Path=\/; Secure; HttpOnly; SameSite=Strict/,
    )
    const cookie = login.headers['set-cookie']!.split(';')[0]!
    const me = await call('GET', '/v1/auth/me', { headers: { cookie } })
    expect(me.status).toBe(200)
    const forged = await call('POST', '/v1/auth/logout', {
      headers: { cookie, origin: 'https://evil.example' },
    })
    expect([forged.status, forged.body.error.code]).toEqual([403, 'CSRF_REFUSED'])
    const missing = await call('POST', '/v1/auth/logout', { headers: { cookie } })
    expect(missing.body.error.code).toBe('CSRF_REFUSED')
    expect((await call('GET', '/v1/auth/me', { headers: { cookie } })).status).toBe(200)
    const own = await call('POST', '/v1/auth/logout', { headers: { cookie, origin: 'http://localhost:80' } })
    expect(own.status).toBe(200)
    expect((await call('GET', '/v1/auth/me', { headers: { cookie } })).body.error.code).toBe(
      'SESSION_EXPIRED',
    )
  })

  test('password change: the current password again, then every other session ends', async () => {
    const one = (await call('POST', '/v1/auth/login', { body: { email: 'bob@example.com', password } })).body
      .token
    const two = (await call('POST', '/v1/auth/login', { body: { email: 'bob@example.com', password } })).body
      .token
    const wrong = await call('POST', '/v1/auth/password', {
      token: one,
      body: { current_password: 'guess guess guess', new_password: `${password}!` },
    })
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS')
    const changed = await call('POST', '/v1/auth/password', {
      token: one,
      body: { current_password: password, new_password: `${password}!` },
    })
    expect(changed.status).toBe(200)
    expect(changed.body.sessions_ended).toBeGreaterThanOrEqual(1)
    expect((await call('GET', '/v1/auth/me', { token: two })).body.error.code).toBe('SESSION_EXPIRED')
    expect((await call('GET', '/v1/auth/me', { token: one })).status).toBe(200)
    expect(
      (await call('POST', '/v1/auth/login', { body: { email: 'bob@example.com', password: `${password}!` } }))
        .status,
    ).toBe(200)
  })

  // Last: the failures count against the test's one source address (with the few failed logins above).
  test('throttling: after five failures the next attempt waits (429, Retry-After), even with the right password', async () => {
    const codes: string[] = []
    for (let i = 0; i < 6 && !codes.includes('LOGIN_THROTTLED'); i++) {
      const failed = await call('POST', '/v1/auth/login', {
        body: { email: 'bob@example.com', password: 'wrong wrong wrong' },
      })
      codes.push(failed.body.error.code)
    }
    expect(codes[0]).toBe('INVALID_CREDENTIALS')
    expect(codes.at(-1)).toBe('LOGIN_THROTTLED')
    const throttled = await call('POST', '/v1/auth/login', {
      body: { email: 'bob@example.com', password: `${password}!` },
    })
    expect([throttled.status, throttled.body.error.code]).toEqual([429, 'LOGIN_THROTTLED'])
    expect(throttled.body.error.details.retry_after_seconds).toBeGreaterThanOrEqual(1)
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1)
  })
})
