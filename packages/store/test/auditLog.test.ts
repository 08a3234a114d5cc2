import {
  canonicalHash,
  canonicalJson,
  checkpointMessage,
  genesisHash,
  hashAuditEntry,
} from '@bursar/core/audit'
import { testAuditSigner } from '@bursar/testing/audit'
import { createTestDb, type TestDb, testDbKinds } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  appendAudit,
  countUnsealedAudit,
  insertPolicyVersion,
  migrate,
  readAuditHead,
  sealAudit,
  signAuditHead,
  verifyAuditLog,
} from '../src/index.ts'

const signer = testAuditSigner()
const trusted = { trustedKey: signer.publicKey }

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
    expect(await sealAudit(t.db, signer)).toBe(3)
    expect(await sealAudit(t.db, signer)).toBe(0)
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
    expect(await verifyAuditLog(t.db, trusted)).toEqual({ ok: true, entries: 3, head: rows[2]!.hash })
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}')
  })

  test('a tampered row is detected at its sequence number', async () => {
    await t.db.query(`update audit_log set data = '{"amount":"6"}' where seq = 2`)
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'hash_mismatch',
    })
    await t.db.query(`update audit_log set data = '{"amount":"5"}' where seq = 2`)
    expect((await verifyAuditLog(t.db, trusted)).ok).toBe(true)
  })

  test('error: an entry rewritten with every later link and the head recomputed is caught by the head signature', async () => {
    const before = await t.db.query<Record<string, unknown>>('select * from audit_log order by seq')
    const rows = await t.db.query<{
      seq: number
      ts: Date
      actor_type: 'owner'
      actor_id: string | null
      action: string
      subject_type: string
      subject_id: string | null
      data: Record<string, unknown>
    }>('select * from audit_log order by seq')
    let prev = genesisHash
    for (const row of rows) {
      const data = row.seq === 2 ? { amount: '5000' } : row.data
      const hash = hashAuditEntry(prev, {
        seq: row.seq,
        ts: row.ts.toISOString(),
        actor: { type: row.actor_type, id: row.actor_id },
        action: row.action,
        subject: { type: row.subject_type, id: row.subject_id },
        data,
      })
      await t.db.query('update audit_log set data = $2, prev_hash = $3, hash = $4 where seq = $1', [
        row.seq,
        JSON.stringify(data),
        prev,
        hash,
      ])
      prev = hash
    }
    // The attacker even signs the new head, with a key of their own: only the trusted key counts.
    const forger = testAuditSigner(2)
    const signedAt = new Date().toISOString()
    const signature = forger.sign(checkpointMessage({ seq: rows.length, hash: prev, signed_at: signedAt }))
    await t.db.query('update audit_head set hash = $1, signed_at = $2, signature = $3', [
      prev,
      signedAt,
      signature,
    ])
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({ ok: false, reason: 'head_signature_invalid' })
    // Put everything back for the tests that follow.
    for (const row of before) {
      await t.db.query('update audit_log set data = $2, prev_hash = $3, hash = $4 where seq = $1', [
        row.seq,
        JSON.stringify(row.data),
        row.prev_hash,
        row.hash,
      ])
    }
    await t.db.query('update audit_head set hash = $1', [before[before.length - 1]!.hash])
    await signAuditHead(t.db, signer)
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({ ok: true })
  })

  test('error: a truncated tail is caught by a checkpoint kept outside the database', async () => {
    await t.db.transaction((tx) =>
      appendAudit(tx, [
        { actor: { type: 'system', id: null }, action: 'x', subject: { type: 'x', id: null }, data: {} },
      ]),
    )
    await sealAudit(t.db, signer)
    const head = await readAuditHead(t.db, signer.publicKey)
    const checkpoint = { ...head, signature: head.signature! }
    expect(await verifyAuditLog(t.db, { ...trusted, checkpoint })).toMatchObject({ ok: true })
    // Cut the newest entry and roll the head back to the previous, validly signed, state.
    const [previous] = await t.db.query<{ hash: string }>('select hash from audit_log where seq = $1', [
      head.seq - 1,
    ])
    await t.db.query('delete from audit_log where seq = $1', [head.seq])
    const signedAt = new Date().toISOString()
    const message = checkpointMessage({ seq: head.seq - 1, hash: previous!.hash, signed_at: signedAt })
    await t.db.query('update audit_head set seq = $1, hash = $2, signed_at = $3, signature = $4', [
      head.seq - 1,
      previous!.hash,
      signedAt,
      signer.sign(message),
    ])
    // Without the checkpoint the shorter chain looks whole; with it, the cut shows.
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({ ok: true })
    expect(await verifyAuditLog(t.db, { ...trusted, checkpoint })).toMatchObject({
      ok: false,
      reason: 'truncated',
    })
  })

  test('error: a policy document edited in place no longer matches the hash its audit entry recorded', async () => {
    await t.db.query(`insert into organisations (id, name) values ('own_p', 'p')`)
    await t.db.query(`insert into agents (id, org_id, name, status) values ('agt_p', 'own_p', 'p', 'active')`)
    const document = { limits: { perTransaction: [{ asset: 'anvil:native', max: '1000' }] } }
    await t.db.transaction(async (tx) => {
      const policy = await insertPolicyVersion(tx, {
        agentId: 'agt_p',
        document,
        createdBy: 'own_p',
        documentHash: canonicalHash(document),
        seal: () => 'mac',
      })
      await appendAudit(tx, [
        {
          actor: { type: 'owner', id: 'own_p' },
          action: 'policy.set',
          subject: { type: 'agent', id: 'agt_p' },
          data: { version: policy.version, document_hash: canonicalHash(document) },
        },
      ])
    })
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({ ok: true })
    await sealAudit(t.db, signer)
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({ ok: true })
    await t.db.query(
      `update policies set document = '{"limits":{"perTransaction":[{"asset":"anvil:native","max":"5000000000000000000"}]}}' where agent_id = 'agt_p'`,
    )
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({
      ok: false,
      reason: 'policy_edited',
      details: { agent_id: 'agt_p', version: 1 },
    })
    // Slipping in a second policy.set entry with the edited document's hash does not cover the edit.
    const [edited] = await t.db.query<{ document: unknown }>(
      `select document from policies where agent_id = 'agt_p'`,
    )
    await t.db.transaction((tx) =>
      appendAudit(tx, [
        {
          actor: { type: 'owner', id: 'own_p' },
          action: 'policy.set',
          subject: { type: 'agent', id: 'agt_p' },
          data: { version: 1, document_hash: canonicalHash(edited!.document) },
        },
      ]),
    )
    await sealAudit(t.db, signer)
    expect(await verifyAuditLog(t.db, trusted)).toMatchObject({ ok: false, reason: 'policy_edited' })
  })
  test('error: a policy version the log recorded and the database lost is reported (policy_missing)', async () => {
    const own = await createTestDb(kind)
    try {
      await own.db.query(`insert into organisations (id, name) values ('own_m', 'm')`)
      await own.db.query(
        `insert into agents (id, org_id, name, status) values ('agt_m', 'own_m', 'm', 'active')`,
      )
      for (const max of ['1000000', '1000']) {
        await setPolicy(
          'agt_m',
          'own_m',
          { limits: { perTransaction: [{ asset: 'anvil:native', max }] } },
          own.db,
        )
      }
      await sealAudit(own.db, signer)
      expect(await verifyAuditLog(own.db, trusted)).toMatchObject({ ok: true })
      // Deleting the newest version would make the looser first one current again.
      await own.db.query(`delete from policies where agent_id = 'agt_m' and version = 2`)
      expect(await verifyAuditLog(own.db, trusted)).toMatchObject({
        ok: false,
        reason: 'policy_missing',
        details: { agent_id: 'agt_m', version: 2 },
      })
    } finally {
      await own.drop()
    }
  })

  test('a busy instance verifies: policies set and entries sealed while the verification reads', async () => {
    const own = await createTestDb(kind)
    try {
      await own.db.query(`insert into organisations (id, name) values ('own_b', 'b')`)
      await own.db.query(
        `insert into agents (id, org_id, name, status) values ('agt_b', 'own_b', 'b', 'active')`,
      )
      let busy = true
      const writer = (async () => {
        for (let i = 0; busy && i < 400; i++) {
          await setPolicy(
            'agt_b',
            'own_b',
            { limits: { perTransaction: [{ asset: 'anvil:native', max: String(i + 1) }] } },
            own.db,
          )
          if (i % 3 === 0) await sealAudit(own.db, signer)
        }
      })()
      const results = []
      for (let i = 0; i < 20; i++) results.push(await verifyAuditLog(own.db, { ...trusted, pageSize: 7 }))
      busy = false
      await writer
      expect(results.filter((result) => !result.ok)).toEqual([])
    } finally {
      await own.drop()
    }
  })

  async function setPolicy(agentId: string, ownerId: string, document: unknown, db = t.db) {
    await db.transaction(async (tx) => {
      const policy = await insertPolicyVersion(tx, {
        agentId,
        document,
        createdBy: ownerId,
        documentHash: canonicalHash(document),
        seal: () => 'mac',
      })
      await appendAudit(tx, [
        {
          actor: { type: 'owner', id: ownerId },
          action: 'policy.set',
          subject: { type: 'agent', id: agentId },
          data: { version: policy.version, document_hash: canonicalHash(document) },
        },
      ])
    })
  }
})
