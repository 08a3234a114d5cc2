import { appendAudit, type Db, sealAudit } from '@bursar/store'
import { countTableReads } from '@bursar/store/test-support'
import { testAuditSigner } from '@bursar/testing/audit'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type AuditTail, createAuditTail } from './createAuditTail.ts'

const signer = testAuditSigner()

async function write(db: Db, action: string, count = 1) {
  await db.transaction((tx) =>
    appendAudit(
      tx,
      Array.from({ length: count }, (_, i) => ({
        actor: { type: 'system' as const, id: null },
        action,
        subject: { type: 'test', id: `t_${i}` },
        data: {},
      })),
    ),
  )
  await sealAudit(db, signer)
}

describe('the audit tail (PostgreSQL)', () => {
  let t: TestDb
  let tail: AuditTail
  let auditReads: () => number

  beforeAll(async () => {
    t = await createTestDb('postgres')
    await write(t.db, 'test.before', 3)
    // The database, counting the audit reads that go through it.
    const counting = countTableReads(t.db, 'audit_log')
    auditReads = counting.reads
    tail = createAuditTail({ db: counting.db, logger: pino({ level: 'silent' }) })
  })
  afterAll(async () => {
    tail?.close()
    await t?.drop()
  })

  test('many waiting subscribers share one poll, and each gets every new entry', async () => {
    const head = await tail.head()
    expect(head).toBe(3)
    const before = auditReads()
    const readers = Array.from({ length: 20 }, () => tail.read(head, 10_000))
    // Give the readers time to start waiting on the tail, then write.
    await new Promise((resolve) => setTimeout(resolve, 100))
    await write(t.db, 'test.live', 2)
    const pages = await Promise.all(readers)
    for (const page of pages) expect(page.map((entry) => entry.seq)).toEqual([4, 5])
    // 20 streams, yet only the tail's own polls read the log: one per poll interval, not one per stream.
    const polls = auditReads() - before
    expect(polls).toBeGreaterThan(0)
    expect(polls).toBeLessThan(20)
  })

  test('a subscriber resuming from further back reads the history first, in order', async () => {
    const page = await tail.read(0, 1_000)
    expect(page.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5])
    expect(page.map((entry) => entry.action)).toEqual([
      'test.before',
      'test.before',
      'test.before',
      'test.live',
      'test.live',
    ])
  })

  test('nothing new: the wait ends empty after its time, and close ends every wait at once', async () => {
    expect(await tail.read(5, 50)).toEqual([])
    const waiting = tail.read(5, 60_000)
    tail.close()
    expect(await waiting).toEqual([])
    expect(tail.closed).toBe(true)
  })
})
