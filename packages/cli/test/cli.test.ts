import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { genesisHash, hashAuditEntry } from '@bursar/core/audit'
import { createBursarClient, createOwnerClient } from '@bursar/sdk'
import { getCurrentPolicy } from '@bursar/store'
import {
  countIntentRows,
  countRows,
  deleteAuditRows,
  deletePolicyVersion,
  insertAuditRow,
  insertPolicyRow,
  listAuditRows,
  readAuditHeadRow,
  setAuditEntry,
  setAuditHead,
  setPolicyDocument,
} from '@bursar/store/test-support'
import { plainTransferFee, startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar, testMasterKey } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { generateSync } from 'otplib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { main } from '../src/cli.ts'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
/** A native limit of `value` wei plus the fee ceiling of one transfer (fees are native spend). */
const feePlus = (value: number) => (plainTransferFee + BigInt(value)).toString()

/** Runs the CLI in-process and returns what it printed; JSON output is parsed. */
async function run(args: string[]): Promise<{ code: number; out: string; json: any }> {
  let out = ''
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string) => {
    out += chunk
    return true
  }) as typeof process.stdout.write
  try {
    const code = await main(args)
    let json: unknown
    try {
      json = JSON.parse(out)
    } catch {}
    return { code, out, json }
  } finally {
    process.stdout.write = write
  }
}

describe('bursar CLI against a running Bursar', () => {
  let anvil: TestAnvil
  let t: TestDb
  let bursar: TestBursar
  let dir: string
  const owner = () => ['--url', bursar.url, '--token', bursar.ownerToken, '--json']

  beforeAll(async () => {
    anvil = await startTestAnvil()
    t = await createTestDb('postgres')
    bursar = await startTestBursar({ db: t.db, networks: [anvil.network] })
    dir = mkdtempSync(join(tmpdir(), 'bursar-cli-'))
  })
  afterAll(async () => {
    await bursar?.close()
    await t?.drop()
    await anvil?.stop()
  })

  test('agent create → key → send --wait → intent list → audit verify and export', async () => {
    const policyFile = join(dir, 'policy.json')
    writeFileSync(
      policyFile,
      JSON.stringify({ limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(1_000_000) }] } }),
    )
    const created = await run(['agent', 'create', 'cli-agent', '--policy', policyFile, ...owner()])
    expect(created.json.agent.name).toBe('cli-agent')
    expect(created.json.api_key.secret).toMatch(/^bsr_/)
    const agentId = created.json.agent.id
    await anvil.testClient.setBalance({ address: created.json.agent.wallets[0].address, value: 10n ** 18n })
    const key = await run(['key', 'create', agentId, ...owner()])
    expect(key.json.secret).toMatch(/^bsr_/)

    const sent = await run([
      'send',
      '--to',
      recipient,
      '--amount',
      '1234',
      '--wait',
      '--url',
      bursar.url,
      '--api-key',
      key.json.secret,
      '--json',
    ])
    expect(sent.json).toMatchObject({ status: 'confirmed', amount: '1234' })
    const shown = await run(['intent', 'show', sent.json.id, ...owner()])
    expect(shown.json.tx_hash).toBe(sent.json.tx_hash)
    const listed = await run(['intent', 'list', '--agent', agentId, ...owner()])
    expect(listed.json.data.map((i: { id: string }) => i.id)).toContain(sent.json.id)

    await bursar.seal()
    const verified = await run(['audit', 'verify', ...owner()])
    expect(verified.json).toMatchObject({ ok: true })
    expect(verified.json.entries).toBeGreaterThan(5)
    const exported = await run([
      'audit',
      'export',
      '--format',
      'jsonl',
      '--url',
      bursar.url,
      '--token',
      bursar.ownerToken,
    ])
    const lines = exported.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines.length).toBe(verified.json.entries)
    expect(lines[0]).toMatchObject({ seq: 1 })
    expect(lines.at(-1).hash).toBe(verified.json.head)

    const revoked = await run(['key', 'revoke', agentId, key.json.id, ...owner()])
    expect(revoked.json.revoked_at).not.toBeNull()
    await expect(
      run(['send', '--to', recipient, '--amount', '1', '--url', bursar.url, '--api-key', key.json.secret]),
    ).rejects.toMatchObject({
      code: 'INVALID_API_KEY',
    })
  })

  test('audit verify reports the first broken link', async () => {
    await bursar.seal()
    const [original] = await listAuditRows(t.db, { seq: 3 })
    await setAuditEntry(t.db, 3, { action: 'intent.rewritten' })
    await expect(run(['audit', 'verify', ...owner()])).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN' })
    await setAuditEntry(t.db, 3, { action: original!.action })
    expect((await run(['audit', 'verify', ...owner()])).json.ok).toBe(true)
  })

  test('error: audit verify catches a rewritten chain, a cut-back tail (with a checkpoint) and an edited policy', async () => {
    const agent = await bursar.createAgent({
      policy: { limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(1) }] } },
    })
    await bursar.seal()
    const verify = (...extra: string[]) => run(['audit', 'verify', ...extra, ...owner()])
    expect((await verify()).json.ok).toBe(true)
    const snapshot = await listAuditRows(t.db, { sealed: true }, { orderBy: 'seq' })
    const head = await readAuditHeadRow(t.db)
    const restore = async () => {
      await deleteAuditRows(t.db, { sealed: true })
      for (const row of snapshot) {
        await insertAuditRow(t.db, {
          seq: row.seq,
          ts: row.ts,
          actor_type: row.actor_type,
          actor_id: row.actor_id,
          action: row.action,
          subject_type: row.subject_type,
          subject_id: row.subject_id,
          data: row.data,
          prev_hash: row.prev_hash,
          hash: row.hash,
        })
      }
      await setAuditHead(t.db, {
        seq: head.seq,
        hash: head.hash,
        signed_at: head.signed_at,
        signature: head.signature,
      })
    }

    // 1. Rewrite one entry and re-link everything after it, head included: the head signature no longer fits.
    let prev = genesisHash
    for (const row of snapshot) {
      const data = row.seq === 2 ? { ...row.data, rewritten: true } : row.data
      const hash = hashAuditEntry(prev, {
        seq: row.seq!,
        ts: row.ts.toISOString(),
        actor: { type: row.actor_type, id: row.actor_id },
        action: row.action,
        subject: { type: row.subject_type, id: row.subject_id },
        data,
      })
      await setAuditEntry(t.db, row.seq!, { data, prev_hash: prev, hash })
      prev = hash
    }
    await setAuditHead(t.db, { hash: prev })
    await expect(verify()).rejects.toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', exitCode: 2 })
    await restore()
    expect((await verify()).json.ok).toBe(true)

    // 2. The attacker keeps an old signed head; the auditor keeps a newer checkpoint; the attacker cuts back to theirs.
    const old = { ...head }
    await bursar.http('POST', `/v1/agents/${agent.agentId}/pause`, { token: bursar.ownerToken })
    await bursar.http('POST', `/v1/agents/${agent.agentId}/resume`, { token: bursar.ownerToken })
    await bursar.seal()
    const checkpoint = join(dir, 'checkpoint.json')
    let printed = ''
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => {
      printed += chunk
      return true
    }) as typeof process.stdout.write
    try {
      await main(['audit', 'checkpoint', '--url', bursar.url, '--token', bursar.ownerToken])
    } finally {
      process.stdout.write = write
    }
    writeFileSync(checkpoint, printed)
    expect(JSON.parse(printed).seq).toBeGreaterThan(old.seq)
    await deleteAuditRows(t.db, { afterSeq: old.seq })
    await setAuditHead(t.db, {
      seq: old.seq,
      hash: old.hash,
      signed_at: old.signed_at,
      signature: old.signature,
    })
    expect((await verify()).json.ok).toBe(true)
    await expect(verify('--checkpoint', checkpoint)).rejects.toMatchObject({
      code: 'AUDIT_CHAIN_BROKEN',
      exitCode: 2,
    })
    await restore()
    await bursar.seal()

    // 3. A policy document edited in place: its hash no longer matches the one its audit entry recorded.
    // The agent has one policy version: its current one.
    const original = await getCurrentPolicy(t.db, agent.agentId)
    await setPolicyDocument(t.db, agent.agentId, {
      limits: { perTransaction: [{ asset: 'anvil:native', max: '1000000000000000000000' }] },
    })
    const edited = await verify().catch((error: unknown) => error)
    expect(edited).toMatchObject({
      code: 'AUDIT_CHAIN_BROKEN',
      exitCode: 2,
      message: expect.stringContaining('policy_edited'),
    })
    await setPolicyDocument(t.db, agent.agentId, original!.document)
    expect((await verify()).json.ok).toBe(true)
  })

  test('error: audit verify through the API holds while policies are set, and catches a deleted policy version', async () => {
    const agent = await bursar.createAgent({ policy: {} })
    const verify = () => run(['audit', 'verify', ...owner()])
    let busy = true
    const writer = (async () => {
      for (let i = 1; busy && i <= 200; i++) {
        await bursar.http('PUT', `/v1/agents/${agent.agentId}/policy`, {
          token: bursar.ownerToken,
          body: { limits: { perTransaction: [{ asset: 'anvil:native', max: String(i) }] } },
        })
      }
    })()
    const results: unknown[] = []
    try {
      for (let i = 0; i < 5; i++) results.push((await verify()).json)
    } finally {
      busy = false
      await writer
    }
    expect(results).toEqual(Array.from({ length: 5 }, () => expect.objectContaining({ ok: true })))
    await bursar.seal()
    const newest = await getCurrentPolicy(t.db, agent.agentId)
    await deletePolicyVersion(t.db, agent.agentId, newest!.version)
    try {
      await expect(verify()).rejects.toMatchObject({
        code: 'AUDIT_CHAIN_BROKEN',
        message: expect.stringContaining('policy_missing'),
      })
    } finally {
      await insertPolicyRow(t.db, newest!)
    }
    expect((await verify()).json.ok).toBe(true)
  })

  test('policy set, get, history, diff, test (dry-run) and replay', async () => {
    const agent = await bursar.createAgent({
      policy: { limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(5000) }] } },
    })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    for (const amount of ['1000', '3000', '4000']) {
      await bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: recipient, amount },
      })
    }
    const v2 = join(dir, 'v2.json')
    writeFileSync(
      v2,
      JSON.stringify({ limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(2500) }] } }),
    )
    const set = await run(['policy', 'set', agent.agentId, v2, ...owner()])
    expect(set.json.version).toBe(2)
    const got = await run(['policy', 'get', agent.agentId, ...owner()])
    expect(got.json.document.limits.perTransaction[0].max).toBe(feePlus(2500))
    const history = await run(['policy', 'history', agent.agentId, ...owner()])
    expect(history.json.map((v: { version: number }) => v.version)).toEqual([1, 2])
    const diff = await run(['policy', 'diff', agent.agentId, '1', '2', ...owner()])
    expect(diff.json).toEqual([
      { path: '$.limits.perTransaction[0].max', before: feePlus(5000), after: feePlus(2500) },
    ])

    const before = await countIntentRows(t.db)
    const dryRun = await run([
      'policy',
      'test',
      agent.agentId,
      '--to',
      recipient,
      '--amount',
      '3000',
      ...owner(),
    ])
    expect(dryRun.json.decision.outcome).toBe('deny')
    expect(dryRun.json.decision.reasons[0]).toMatchObject({
      code: 'LIMIT_PER_TX_EXCEEDED',
      limit: feePlus(2500),
      observed: feePlus(3000),
    })
    expect(dryRun.json.decision.explanation.length).toBeGreaterThan(0)
    expect(await countIntentRows(t.db)).toEqual(before)

    const draft = join(dir, 'draft.json')
    writeFileSync(
      draft,
      JSON.stringify({ limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(3500) }] } }),
    )
    const replay = await run(['policy', 'replay', agent.agentId, draft, '--since', '1d', ...owner()])
    expect(replay.json.evaluated).toBe(3)
    expect(replay.json.changed).toEqual([
      expect.objectContaining({
        before: 'allow',
        after: 'deny',
        reasons: [expect.objectContaining({ code: 'LIMIT_PER_TX_EXCEEDED' })],
      }),
    ])
  })

  test('a Cedar forbid rule blocks an otherwise allowed intent through the API', async () => {
    const agent = await bursar.createAgent({
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(1_000_000) }] },
        cedar: [
          {
            id: 'no-big-round',
            policy: 'forbid (principal, action, resource) when { context.amount == "500000" };',
          },
        ],
      },
    })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const allowed = await bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '499999' },
    })
    expect(allowed.status).toBe(201)
    const denied = await bursar.http('POST', '/v1/intents', {
      token: agent.apiKey,
      body: { type: 'transfer', network: 'anvil', to: recipient, amount: '500000' },
    })
    expect(denied.body.error.code).toBe('POLICY_DENIED')
    expect(denied.body.error.details.reasons).toEqual([
      expect.objectContaining({ code: 'CEDAR_FORBID', rule: expect.stringContaining('no-big-round') }),
    ])
    const bad = await bursar.http('PUT', `/v1/agents/${agent.agentId}/policy`, {
      token: bursar.ownerToken,
      body: {
        cedar: [{ id: 'broken', policy: 'forbid (principal, action, resource) when { context.amount == ' }],
      },
    })
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.issues[0].path).toMatch(/^\$\.cedar\[0\]/)
  })

  test('freeze and halt from the CLI', async () => {
    const agent = await bursar.createAgent({ policy: {} })
    expect(
      (await run(['agent', 'freeze', agent.agentId, '--reason', 'cli test', ...owner()])).json.tripped,
    ).toBe(true)
    const list = await run(['breaker', 'list', ...owner()])
    expect(list.json).toContainEqual(
      expect.objectContaining({ agent_id: agent.agentId, tripped: true, reason: 'cli test' }),
    )
    expect((await run(['agent', 'unfreeze', agent.agentId, ...owner()])).json.tripped).toBe(false)
    expect((await run(['halt', '--reason', 'drill', ...owner()])).json.scope).toBe('global')
    expect((await run(['halt', 'reset', ...owner()])).json.tripped).toBe(false)
  })

  test('keys export-backup prints the master mnemonic only when confirmed', async () => {
    const saved = process.env.BURSAR_MASTER_KEY
    process.env.BURSAR_MASTER_KEY = testMasterKey
    try {
      await expect(run(['keys', 'export-backup', '--database-url', t.url!])).rejects.toMatchObject({
        code: 'CONFIRMATION_REQUIRED',
      })
      const exported = await run(['keys', 'export-backup', '--yes', '--database-url', t.url!])
      expect(exported.out.trim()).toBe(bursar.ctx.keystore.exportMnemonic())
      expect(exported.out.trim().split(' ')).toHaveLength(24)
    } finally {
      if (saved === undefined) delete process.env.BURSAR_MASTER_KEY
      else process.env.BURSAR_MASTER_KEY = saved
    }
  })

  test('error: keys export-backup on a database without a seed refuses and creates none', async () => {
    const empty = await createTestDb('postgres')
    const saved = process.env.BURSAR_MASTER_KEY
    process.env.BURSAR_MASTER_KEY = testMasterKey
    try {
      await expect(
        run(['keys', 'export-backup', '--yes', '--database-url', empty.url!]),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' })
      expect(await countRows(empty.db, ['key_material'])).toEqual({ key_material: 0 })
    } finally {
      if (saved === undefined) delete process.env.BURSAR_MASTER_KEY
      else process.env.BURSAR_MASTER_KEY = saved
      await empty.drop()
    }
  })

  test('error: bursar serve refuses to start without a database, a master key or a network, and says which', async () => {
    const saved = { ...process.env }
    for (const name of ['DATABASE_URL', 'BURSAR_MASTER_KEY', 'BURSAR_EVM_RPC_URL', 'BURSAR_CONFIG'])
      delete process.env[name]
    try {
      const error = await run(['serve']).catch((e: Error & { code: string }) => e)
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' })
      expect((error as Error).message).toMatch(
        /DATABASE_URL is not set[\s\S]*BURSAR_MASTER_KEY is not set[\s\S]*no networks/,
      )
    } finally {
      process.env = saved
    }
  })

  test('policy templates are listed and printed', async () => {
    const names = await run(['policy', 'templates', '--json'])
    expect(names.json).toEqual(expect.arrayContaining(['x402-buyer', 'defi-trader', 'payroll']))
    const template = await run(['policy', 'template', 'payroll', '--json'])
    expect(template.json).toHaveProperty('limits')
  })

  test('login prints a session token; approvals approve and deny take it with a TOTP or recovery code; a service token is told to log in', async () => {
    // The setup token invites alice as an admin of the test organisation; she may approve.
    const password = 'correct horse battery staple'
    const setup = createOwnerClient({ url: bursar.url, token: bursar.ownerToken })
    const invitation = await setup.invite({ email: 'alice@example.com', role: 'admin' })
    const signedUp = await createOwnerClient({ url: bursar.url }).signUp({
      email: 'alice@example.com',
      password,
      invitation: invitation.token,
    })
    const alice = createOwnerClient({ url: bursar.url, token: signedUp.token })
    const secret = new URL((await alice.startTotpEnrolment({ password })).uri).searchParams.get('secret')!
    // Each step's code works once, and the next step's is accepted: two codes to spend now, then recovery codes.
    let step = Math.floor(Date.now() / 30_000)
    const code = () => generateSync({ secret, epoch: step++ * 30 })
    const { recovery_codes: recovery } = await alice.confirmTotp(code())

    const email = ['--email', 'alice@example.com', '--url', bursar.url]
    const saved = process.env.BURSAR_PASSWORD
    delete process.env.BURSAR_PASSWORD
    let session: string
    try {
      await expect(run(['login', ...email])).rejects.toMatchObject({
        code: 'USAGE',
        message: expect.stringContaining('BURSAR_PASSWORD'),
      })
      process.env.BURSAR_PASSWORD = password
      await expect(run(['login', ...email])).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' })
      const human = await run(['login', ...email, '--recovery-code', recovery.pop()!])
      expect(human.out).toMatch(
        /^signed in as alice@example\.com \(admin of test owner\)\ntoken bsr_ses_\S+\n/,
      )
      expect(human.out).toContain('export BURSAR_OWNER_TOKEN=<token>')
      const login = await run(['login', ...email, '--totp', code(), '--json'])
      expect(login.json).toMatchObject({
        token: expect.stringMatching(/^bsr_ses_/),
        account: { email: 'alice@example.com' },
      })
      session = login.json.token
    } finally {
      if (saved === undefined) delete process.env.BURSAR_PASSWORD
      else process.env.BURSAR_PASSWORD = saved
    }
    const asAlice = ['--url', bursar.url, '--token', session, '--json']

    const agent = await bursar.createAgent({
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: feePlus(1_000_000) }] },
        approvals: {
          approvers: [signedUp.account.id],
          rules: [{ id: 'big', asset: 'anvil:native', above: feePlus(500) }],
        },
      },
    })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const ask = async () => {
      const intent = await bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: recipient, amount: '1000' },
      })
      expect(intent.body.status).toBe('pending_approval')
      const listed = await run([
        'approvals',
        'list',
        '--status',
        'pending',
        '--agent',
        agent.agentId,
        ...owner(),
      ])
      const request = listed.json.data.find((a: { intent_id: string }) => a.intent_id === intent.body.id)
      return { intentId: intent.body.id as string, approvalId: request.id as string }
    }

    const first = await ask()
    // The service token bursar dev writes cannot decide: the error says what to use instead.
    await expect(
      run(['approvals', 'approve', first.approvalId, '--totp', '000000', ...owner()]),
    ).rejects.toMatchObject({
      code: 'NOT_AN_APPROVER',
      message: expect.stringContaining('bursar login'),
    })
    await expect(run(['approvals', 'approve', first.approvalId, ...asAlice])).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('--totp <code> or --recovery-code <code>'),
    })
    await expect(
      run(['approvals', 'approve', first.approvalId, '--totp', '1', '--recovery-code', '2', ...asAlice]),
    ).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('cannot be used with') })
    const approved = await run([
      'approvals',
      'approve',
      first.approvalId,
      '--recovery-code',
      recovery.pop()!,
      ...asAlice,
    ])
    expect(approved.json).toMatchObject({
      id: first.approvalId,
      status: 'approved',
      decisions: [{ account_id: signedUp.account.id, decision: 'approve', factor: 'recovery' }],
    })
    const confirmed = await createBursarClient({ url: bursar.url, apiKey: agent.apiKey }).waitForIntent(
      first.intentId,
      { pollIntervalMs: 50, timeoutMs: 30_000 },
    )
    expect(confirmed.status).toBe('confirmed')

    const second = await ask()
    const denied = await run([
      'approvals',
      'deny',
      second.approvalId,
      '--recovery-code',
      recovery.pop()!,
      '--url',
      bursar.url,
      '--token',
      session,
    ])
    expect(denied.out).toMatch(
      new RegExp(`^${second.approvalId}  denied  big 0/1  intent ${second.intentId}\n$`),
    )
    expect((await run(['intent', 'show', second.intentId, ...owner()])).json.status).toBe('denied')
  })

  test('error: usage mistakes carry a code', async () => {
    await expect(run(['agent', 'frobnicate', ...owner()])).rejects.toMatchObject({ code: 'USAGE' })
    await expect(run(['send', '--url', bursar.url, '--api-key', 'bsr_x'])).rejects.toMatchObject({
      code: 'USAGE',
    })
  })
})
