import { canonicalJson, genesisHash, hashAuditEntry } from '@bursar/core/audit'
import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { appendAudit, countUnsealedAudit, migrate, sealAudit, verifyAuditLog } from '../src/index.ts'

describe.each(testDbKinds)('audit log on %s', (kind) => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb(kind)
  })
  afterAll(() => t.drop())

  test('migrations are idempotent', async () => {
    expect((await migrate(t.db)).applied).toEqual([])
  })

  test('appended entries chain from the genesis hash and verify', async () => {
    await t.db.transaction((tx) =>
      appendAudit(tx, [
        {
          actor: { type: 'owner', id: 'own_1' },
          action: 'agent.created',
          subject: { type: 'agent', id: 'agt_1' },
          data: { name: 'a' },
        },
        {
          actor: { type: 'system', id: null },
          action: 'intent.queued',
          subject: { type: 'intent', id: 'int_1' },
          data: { amount: '5' },
        },
      ]),
    )
    await t.db.transaction((tx) =>
      appendAudit(tx, [
        {
          actor: { type: 'agent', id: 'agt_1' },
          action: 'intent.received',
          subject: { type: 'intent', id: 'int_2' },
          data: {},
        },
      ]),
    )
    expect(await countUnsealedAudit(t.db)).toBe(3)
    expect(await sealAudit(t.db)).toBe(3)
    expect(await sealAudit(t.db)).toBe(0)
    expect(await countUnsealedAudit(t.db)).toBe(0)
    const rows = await t.db.query<{ seq: number; prev_hash: string; hash: string; ts: Date }>(
      'select seq, prev_hash, hash, ts from audit_log order by seq',
    )
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3])
    expect(rows[0]!.prev_hash).toBe(genesisHash)
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash)
    const expected = hashAuditEntry(genesisHash, {
      seq: 1,
      ts: rows[0]!.ts.toISOString(),
      actor: { type: 'owner', id: 'own_1' },
      action: 'agent.created',
      subject: { type: 'agent', id: 'agt_1' },
      data: { name: 'a' },
    })
    expect(rows[0]!.hash).toBe(expected)
    expect(await verifyAuditLog(t.db)).toEqual({ ok: true, entries: 3, head: rows[2]!.hash })
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}')
  })

  test('a tampered row is detected at its sequence number', async () => {
    await t.db.query(`update audit_log set data = '{"amount":"6"}' where seq = 2`)
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: false, brokenAt: 2, reason: 'hash_mismatch' })
    await t.db.query(`update audit_log set data = '{"amount":"5"}' where seq = 2`)
    expect((await verifyAuditLog(t.db)).ok).toBe(true)
  })

  test('a deleted tail is detected through the chain head', async () => {
    await t.db.query('delete from audit_log where seq = 3')
    expect(await verifyAuditLog(t.db)).toMatchObject({ ok: false, brokenAt: 3 })
  })
})
