import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  beginLoginAttempt,
  clearLoginFailures,
  findSession,
  insertAccount,
  insertSession,
  listSessions,
  markStepUp,
  pruneLoginAttempts,
  revokeSession,
  secretKind,
} from '../src/index.ts'

const day = 86_400

describe.each(testDbKinds)('sessions and login throttling on %s', (kind) => {
  let t: TestDb
  let accountId: string
  let otherId: string
  beforeAll(async () => {
    t = await createTestDb(kind)
    const signUp = (email: string) =>
      t.db.transaction(
        async (tx) => (await insertAccount(tx, { email, passwordHash: 'h', instanceAdmin: false }))!.id,
      )
    accountId = await signUp('s@example.com')
    otherId = await signUp('other@example.com')
  })
  afterAll(() => t.drop())

  const open = (parameters: { ttlSeconds?: number; idleSeconds?: number; account?: string } = {}) =>
    insertSession(t.db, {
      accountId: parameters.account ?? accountId,
      ttlSeconds: parameters.ttlSeconds ?? 30 * day,
      idleSeconds: parameters.idleSeconds ?? 7 * day,
      sourceAddress: '203.0.113.7',
      userAgent: 'vitest',
    })

  test('a session token is returned once, stored as a hash, and opens the session', async () => {
    const { session, secret } = await open()
    expect(secret).toMatch(/^bsr_ses_[A-Za-z0-9_-]{43}$/)
    expect(secretKind(secret)).toBe('session')
    expect(session).toMatchObject({
      id: expect.stringMatching(/^ses_/),
      account_id: accountId,
      idle_seconds: 7 * day,
      step_up_at: null,
      source_address: '203.0.113.7',
      user_agent: 'vitest',
      revoked_at: null,
    })
    expect(session.expires_at.getTime() - session.created_at.getTime()).toBe(30 * day * 1000)
    expect(JSON.stringify(session)).not.toContain(secret)
    const [stored] = await t.db.query<{ token_hash: string }>(
      'select token_hash from sessions where id = $1',
      [session.id],
    )
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await findSession(t.db, secret)).toEqual(session)
    const altered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`
    expect(await findSession(t.db, altered)).toBeUndefined()
  })

  test('an agent key that happens to begin with "ses_" is still an agent key', () => {
    expect(secretKind(`bsr_ses_${'a'.repeat(39)}`)).toBe('agent_key')
    expect(secretKind(`bsr_owner_${'a'.repeat(43)}`)).toBe('service_token')
    expect(secretKind('nope')).toBeUndefined()
  })

  test('last seen is written at most once a minute', async () => {
    const { session, secret } = await open()
    const seen = (await findSession(t.db, secret))!.last_seen_at
    expect(seen).toEqual(session.last_seen_at)
    await t.db.query(`update sessions set last_seen_at = now() - interval '2 minutes' where id = $1`, [
      session.id,
    ])
    const touched = (await findSession(t.db, secret))!
    expect(touched.last_seen_at.getTime()).toBeGreaterThanOrEqual(seen.getTime())
    const [stored] = await t.db.query<{ last_seen_at: Date }>(
      'select last_seen_at from sessions where id = $1',
      [session.id],
    )
    expect(stored!.last_seen_at).toEqual(touched.last_seen_at)
  })

  test('error: an expired session is refused — past its absolute end, or idle too long, or at once with no lifetime', async () => {
    const absolute = await open()
    await t.db.query(`update sessions set expires_at = now() - interval '1 second' where id = $1`, [
      absolute.session.id,
    ])
    expect(await findSession(t.db, absolute.secret)).toBeUndefined()

    const idle = await open({ idleSeconds: 3600 })
    await t.db.query(`update sessions set last_seen_at = now() - interval '3601 seconds' where id = $1`, [
      idle.session.id,
    ])
    expect(await findSession(t.db, idle.secret)).toBeUndefined()

    const none = await open({ ttlSeconds: 0 })
    expect(await findSession(t.db, none.secret)).toBeUndefined()
    expect(await markStepUp(t.db, none.session.id)).toBeUndefined()
  })

  test("revoking: only the account's own session, once; a revoked session is refused and not listed", async () => {
    const { session, secret } = await open()
    expect(await revokeSession(t.db, otherId, session.id)).toBeUndefined()
    expect(await findSession(t.db, secret)).toBeDefined()
    const revoked = await revokeSession(t.db, accountId, session.id)
    expect(revoked!.revoked_at).toBeInstanceOf(Date)
    expect((await revokeSession(t.db, accountId, session.id))!.revoked_at).toEqual(revoked!.revoked_at)
    expect(await findSession(t.db, secret)).toBeUndefined()
    expect(await revokeSession(t.db, accountId, 'ses_missing')).toBeUndefined()
    expect((await listSessions(t.db, accountId)).map((s) => s.id)).not.toContain(session.id)
  })

  test("listing: the account's live sessions newest first; every one with includeEnded", async () => {
    const mine = await open({ account: otherId })
    const ended = await open({ account: otherId })
    await revokeSession(t.db, otherId, ended.session.id)
    expect((await listSessions(t.db, otherId)).map((s) => s.id)).toEqual([mine.session.id])
    const all = await listSessions(t.db, otherId, { includeEnded: true })
    // Two sessions opened back to back can share a timestamp (PGlite's clock is coarse): check the set, then the order.
    expect(all.map((s) => s.id).sort()).toEqual([ended.session.id, mine.session.id].sort())
    for (let i = 1; i < all.length; i++)
      expect(all[i - 1]!.created_at.getTime()).toBeGreaterThanOrEqual(all[i]!.created_at.getTime())
    expect((await listSessions(t.db, accountId)).every((s) => s.account_id === accountId)).toBe(true)
  })

  test('step-up is recorded on a live session only', async () => {
    const { session, secret } = await open()
    const stepped = await markStepUp(t.db, session.id)
    expect(stepped!.step_up_at).toBeInstanceOf(Date)
    expect((await findSession(t.db, secret))!.step_up_at).toEqual(stepped!.step_up_at)
    await revokeSession(t.db, accountId, session.id)
    expect(await markStepUp(t.db, session.id)).toBeUndefined()
  })

  /** The stored row of a key, or undefined. */
  const throttleRow = async (key: string) =>
    (
      await t.db.query<{ failures: number; last_failure_at: Date; next_allowed_at: Date }>(
        'select failures, last_failure_at, next_allowed_at from login_attempts where key = $1',
        [key],
      )
    )[0]
  const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000)

  // failures after the attempt → the wait before the next one (the schedule in LoginThrottleRow.ts, its one copy).
  const schedule: [failures: number, waitSeconds: number][] = [
    [1, 0],
    [4, 0],
    [5, 1],
    [6, 2],
    [7, 4],
    [10, 32],
    [14, 512],
    [15, 900],
    [16, 900],
  ]
  test(`login throttle: free for 4 failures, then 1 s after the 5th, doubling to at most 15 minutes (${schedule
    .map(([failures, wait]) => `${failures}→${wait}s`)
    .join(', ')}); a success clears it`, async () => {
    const key = 'account:acc_throttled'
    const base = new Date('2030-01-01T00:00:00.000Z')
    let clock = 0
    const waits = new Map<number, number>()
    for (let i = 1; i <= 16; i++) {
      expect(await beginLoginAttempt(t.db, [key], at(base, clock))).toEqual({ allowed: true, failures: i })
      const row = (await throttleRow(key))!
      const wait = (row.next_allowed_at.getTime() - row.last_failure_at.getTime()) / 1000
      waits.set(i, wait)
      if (wait > 0) {
        // A moment before the wait ends: refused, and not counted.
        expect(await beginLoginAttempt(t.db, [key, 'ip:198.51.100.1'], at(base, clock + wait - 0.5))).toEqual(
          {
            allowed: false,
            retryAfterSeconds: 1,
          },
        )
        expect((await throttleRow(key))!.failures).toBe(i)
        expect(await throttleRow('ip:198.51.100.1')).toBeUndefined()
      }
      clock += wait
    }
    for (const [failures, wait] of schedule) expect(waits.get(failures), `${failures} failures`).toBe(wait)
    expect(await beginLoginAttempt(t.db, [key], at(base, clock - 890))).toEqual({
      allowed: false,
      retryAfterSeconds: 890,
    })

    await clearLoginFailures(t.db, [key])
    expect(await throttleRow(key)).toBeUndefined()
    expect(await beginLoginAttempt(t.db, [key], at(base, clock - 890))).toEqual({
      allowed: true,
      failures: 1,
    })
  })

  test('login throttle: the strictest key decides, a refusal counts against no key, a key named twice counts once', async () => {
    const account = 'account:acc_a'
    const ip = 'ip:192.0.2.1'
    for (let i = 1; i <= 4; i++)
      expect(await beginLoginAttempt(t.db, [account, ip, ip])).toEqual({ allowed: true, failures: i })
    expect(await beginLoginAttempt(t.db, [ip])).toEqual({ allowed: true, failures: 5 })
    expect(await beginLoginAttempt(t.db, [account, ip])).toEqual({ allowed: false, retryAfterSeconds: 1 })
    expect((await throttleRow(account))!.failures).toBe(4)
    expect((await throttleRow(ip))!.failures).toBe(5)
    expect(await beginLoginAttempt(t.db, [account])).toEqual({ allowed: true, failures: 5 })
    await clearLoginFailures(t.db, [])
    await expect(beginLoginAttempt(t.db, [])).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  test('login throttle race: of 20 parallel attempts on a fresh key at most 5 pass (4 free failures + the 5th, which sets the 1 s wait), and every one that passed counts', async () => {
    const key = 'ip:192.0.2.99'
    const now = new Date()
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.db.transaction((tx) => beginLoginAttempt(tx, [key, 'account:acc_race'], now)),
      ),
    )
    const passed = attempts.filter((attempt) => attempt.allowed)
    expect(passed.length).toBeGreaterThanOrEqual(1)
    expect(passed.length).toBeLessThanOrEqual(5)
    expect((await throttleRow(key))!.failures).toBe(passed.length)
    expect(attempts.filter((attempt) => !attempt.allowed)).toEqual(
      Array(20 - passed.length).fill({ allowed: false, retryAfterSeconds: 1 }),
    )
  })

  test('login throttle: failures a day old are forgotten, and pruned', async () => {
    const key = 'account:acc_quiet'
    await t.db.query(
      `insert into login_attempts values ($1, 10, now(), now() + interval '32 seconds')
       on conflict (key) do nothing`,
      [key],
    )
    await t.db.query(
      `update login_attempts set last_failure_at = now() - interval '25 hours',
              next_allowed_at = now() - interval '25 hours' + interval '32 seconds' where key = $1`,
      [key],
    )
    expect(await beginLoginAttempt(t.db, [key])).toEqual({ allowed: true, failures: 1 })
    const row = await throttleRow(key)
    expect(row!.next_allowed_at).toEqual(row!.last_failure_at)

    await t.db.query(
      `update login_attempts set last_failure_at = now() - interval '25 hours' where key = $1`,
      [key],
    )
    expect(await pruneLoginAttempts(t.db)).toBeGreaterThanOrEqual(1)
    expect(await throttleRow(key)).toBeUndefined()
  })
})
