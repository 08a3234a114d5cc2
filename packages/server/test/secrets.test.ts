import { createBursarClient } from '@bursar/sdk'
import { plainTransferFee, startTestAnvil, type TestAnvil } from '@bursar/testing/anvil'
import { startTestBursar, type TestBursar, testMasterKey } from '@bursar/testing/bursar'
import { createTestDb, type TestDb } from '@bursar/testing/database'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('secrets never reach logs, errors or the audit log', () => {
  let anvil: TestAnvil
  let t: TestDb
  let bursar: TestBursar
  const secrets: string[] = []
  const bodies: string[] = []

  beforeAll(async () => {
    anvil = await startTestAnvil()
    t = await createTestDb('postgres')
    bursar = await startTestBursar({ db: t.db, networks: [anvil.network], config: { logLevel: 'trace' } })
  })
  afterAll(async () => {
    await bursar?.close()
    await t?.drop()
    await anvil?.stop()
  })

  test('a busy session logs plenty and none of the seed, master key, API keys or owner token', async () => {
    const agent = await bursar.createAgent({
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: (plainTransferFee + 1000n).toString() }] },
      },
    })
    await anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const mnemonic = bursar.ctx.keystore.exportMnemonic()
    secrets.push(
      testMasterKey,
      agent.apiKey,
      bursar.ownerToken,
      mnemonic,
      ...mnemonic
        .split(' ')
        .slice(0, 3)
        .map((_, i, words) => words.slice(i).join(' ')),
    )
    const client = createBursarClient({ url: bursar.url, apiKey: agent.apiKey })
    const ok = await client.sendIntent({ type: 'transfer', network: 'anvil', to: recipient, amount: '5' })
    await client.waitForIntent(ok.id)
    const collect = async (r: Promise<{ status: number; body: unknown }>) =>
      bodies.push(JSON.stringify((await r).body))
    // Errors of every kind, with the secrets in the places a careless log line would pick them up.
    await collect(
      bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: recipient, amount: '5000' },
      }),
    )
    await collect(
      bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        rawBody: `{"type":"transfer","x":"${agent.apiKey}"`,
      }),
    )
    await collect(bursar.http('POST', '/v1/intents', { token: `${agent.apiKey}x` }))
    await collect(bursar.http('GET', `/v1/agents?token=${bursar.ownerToken}`, { token: agent.apiKey }))
    const created = await bursar.http('POST', `/v1/agents/${agent.agentId}/keys`, {
      token: bursar.ownerToken,
      body: {},
    })
    secrets.push(created.body.secret)
    await bursar.http('DELETE', `/v1/agents/${agent.agentId}/keys/${created.body.id}`, {
      token: bursar.ownerToken,
    })
    await collect(bursar.http('GET', '/v1/wallets', { token: created.body.secret }))
    await new Promise((resolve) => setTimeout(resolve, 200))

    const logs = bursar.logs.text()
    expect(bursar.logs.lines.length).toBeGreaterThan(20)
    expect(logs).toContain(agent.agentId)
    for (const secret of secrets) {
      expect(logs).not.toContain(secret)
      for (const body of bodies) expect(body).not.toContain(secret)
    }
    const audit = JSON.stringify(await t.db.query('select * from audit_log'))
    const intents = JSON.stringify(await t.db.query('select request, decision, error from intents'))
    for (const secret of [testMasterKey, agent.apiKey, bursar.ownerToken, mnemonic, created.body.secret]) {
      expect(audit).not.toContain(secret)
      if (secret !== testMasterKey) expect(intents).not.toContain(secret)
    }
    // Only ciphertext is stored for the seed.
    const sealed = JSON.stringify(await t.db.query('select sealed from key_material'))
    expect(sealed).not.toContain(`${mnemonic.split(' ')[0]!} ${mnemonic.split(' ')[1]!}`)
    const keys = JSON.stringify(await t.db.query('select * from api_keys'))
    expect(keys).not.toContain(agent.apiKey)
  })
})
