import { createBursarClient } from '@bursar/sdk'
import {
  listApiKeyRows,
  listAuditRows,
  listIntentRows,
  listKeyMaterialSeals,
} from '@bursar/store/test-support'
import { plainTransferFee } from '@bursar/testing/anvil'
import { testMasterKey } from '@bursar/testing/bursar'
import { useTestStack } from '@bursar/testing/stack'
import { describe, expect, test } from 'vitest'

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('secrets never reach logs, errors or the audit log', () => {
  const stack = useTestStack({ config: { logLevel: 'trace' } })
  const secrets: string[] = []
  const bodies: string[] = []

  test('a busy session logs plenty and none of the seed, master key, API keys or owner token', async () => {
    const agent = await stack.bursar.createAgent({
      policy: {
        limits: { perTransaction: [{ asset: 'anvil:native', max: (plainTransferFee + 1000n).toString() }] },
      },
    })
    await stack.anvil.testClient.setBalance({ address: agent.address, value: 10n ** 18n })
    const mnemonic = stack.bursar.ctx.keystore.exportMnemonic()
    secrets.push(
      testMasterKey,
      agent.apiKey,
      stack.bursar.ownerToken,
      mnemonic,
      // Any three words in a row: a part of the phrase leaking. (A single word is not a finding: BIP-39 has
      // "error", "network" and "time", which logs say all the time; that made this test fail now and then.)
      ...mnemonic
        .split(' ')
        .slice(0, -2)
        .map((_, i) =>
          mnemonic
            .split(' ')
            .slice(i, i + 3)
            .join(' '),
        ),
    )
    const client = createBursarClient({ url: stack.bursar.url, apiKey: agent.apiKey })
    const ok = await client.sendIntent({ type: 'transfer', network: 'anvil', to: recipient, amount: '5' })
    await client.waitForIntent(ok.id)
    const collect = async (r: Promise<{ status: number; body: unknown }>) =>
      bodies.push(JSON.stringify((await r).body))
    // Errors of every kind, with the secrets in the places a careless log line would pick them up.
    await collect(
      stack.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        body: { type: 'transfer', network: 'anvil', to: recipient, amount: '5000' },
      }),
    )
    await collect(
      stack.bursar.http('POST', '/v1/intents', {
        token: agent.apiKey,
        rawBody: `{"type":"transfer","x":"${agent.apiKey}"`,
      }),
    )
    await collect(stack.bursar.http('POST', '/v1/intents', { token: `${agent.apiKey}x` }))
    await collect(
      stack.bursar.http('GET', `/v1/agents?token=${stack.bursar.ownerToken}`, { token: agent.apiKey }),
    )
    const created = await stack.bursar.http('POST', `/v1/agents/${agent.agentId}/keys`, {
      token: stack.bursar.ownerToken,
      body: {},
    })
    secrets.push(created.body.secret)
    await stack.bursar.http('DELETE', `/v1/agents/${agent.agentId}/keys/${created.body.id}`, {
      token: stack.bursar.ownerToken,
    })
    await collect(stack.bursar.http('GET', '/v1/wallets', { token: created.body.secret }))
    await new Promise((resolve) => setTimeout(resolve, 200))

    const logs = stack.bursar.logs.text()
    expect(stack.bursar.logs.lines.length).toBeGreaterThan(20)
    expect(logs).toContain(agent.agentId)
    for (const secret of secrets) {
      expect(logs).not.toContain(secret)
      for (const body of bodies) expect(body).not.toContain(secret)
    }
    const audit = JSON.stringify(await listAuditRows(stack.t.db))
    const intents = JSON.stringify(await listIntentRows(stack.t.db, ['request', 'decision', 'error']))
    for (const secret of [
      testMasterKey,
      agent.apiKey,
      stack.bursar.ownerToken,
      mnemonic,
      created.body.secret,
    ]) {
      expect(audit).not.toContain(secret)
      if (secret !== testMasterKey) expect(intents).not.toContain(secret)
    }
    // Only ciphertext is stored for the seed.
    const sealed = JSON.stringify(await listKeyMaterialSeals(stack.t.db))
    expect(sealed).not.toContain(`${mnemonic.split(' ')[0]!} ${mnemonic.split(' ')[1]!}`)
    const keys = JSON.stringify(await listApiKeyRows(stack.t.db))
    expect(keys).not.toContain(agent.apiKey)
  })
})
