/**
 * bursar dev: the whole system on one machine with nothing to install — embedded PGlite and an anvil chain,
 * both persisted under .bursar/, the API and the workers. The first start creates an owner and a funded demo agent.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { anvilNetwork, startAnvil } from '@bursar/chains/evm'
import { createAgent } from '@bursar/server/agents'
import { defaultConfig } from '@bursar/server/config'
import { startBursar } from '@bursar/server/start'
import { firstOrganisation, insertOrganisationWithToken } from '@bursar/store'
import { type Output, print } from '../output.ts'
import { acquireDevLock } from './devLock.ts'
import { devPolicy } from './devPolicy.ts'

export type DevOptions = Output & {
  port?: number | undefined
  dataDir?: string | undefined
  logLevel?: string | undefined
}

function secretFile(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  const value = make()
  writeFileSync(path, `${value}\n`, { mode: 0o600 })
  return value
}

export async function devCommand(options: DevOptions): Promise<void> {
  const dataDir = resolve(options.dataDir ?? '.bursar')
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const releaseLock = acquireDevLock(dataDir)
  // Dev only: the master key lives beside the data. `bursar serve` requires BURSAR_MASTER_KEY instead.
  const masterKey =
    process.env.BURSAR_MASTER_KEY ??
    secretFile(join(dataDir, 'master-key'), () => randomBytes(32).toString('base64url'))
  const operatorToken =
    process.env.BURSAR_OPERATOR_TOKEN ??
    secretFile(join(dataDir, 'operator-token'), () => `bsr_op_${randomBytes(24).toString('base64url')}`)
  process.once('exit', releaseLock)
  const anvil = await startAnvil({
    stateFile: join(dataDir, 'anvil-state.json'),
    chainId: 31337,
    silent: true,
  })
  const network = anvilNetwork(anvil.rpcUrl)
  const port = options.port ?? Number(process.env.PORT ?? defaultConfig.port)
  let bursar: Awaited<ReturnType<typeof startBursar>>
  try {
    bursar = await startBursar({
      ...defaultConfig,
      executor: { ...defaultConfig.executor },
      port,
      logLevel: options.logLevel ?? process.env.LOG_LEVEL ?? 'warn',
      database: { kind: 'pglite', dataDir: join(dataDir, 'db') },
      masterKey,
      networks: [network],
      prices: { 'anvil:native': { usdMicrosPerUnit: '3000000000', decimals: 18 } },
      operatorToken,
      auditCheckpointFile: join(dataDir, 'audit-checkpoints.jsonl'),
      // The data directory is this user's own: an upgraded one is sealed as it stands, once.
      sealExisting: 'on-upgrade',
    })
  } catch (error) {
    await anvil.stop()
    throw error
  }
  const { ctx, url } = bursar
  writeFileSync(join(dataDir, 'url'), `${url}\n`)

  let demo: { agentId: string; walletId: string; address: string; apiKey: string } | undefined
  let ownerToken: string | undefined
  if (!(await firstOrganisation(ctx.db))) {
    // The instance's first organisation; its setup token is the instance admin's until a person signs up.
    const { organisation, token, tokenId } = await ctx.db.transaction((tx) =>
      insertOrganisationWithToken(tx, 'owner', { instanceAdmin: true }),
    )
    ownerToken = token
    writeFileSync(join(dataDir, 'owner-token'), `${token}\n`, { mode: 0o600 })
    const created = await createAgent(
      ctx,
      { orgId: organisation.id, actor: { type: 'service_token', id: tokenId } },
      { name: 'demo', policy: devPolicy, createKey: true },
    )
    // Fund the demo wallet with 100 ETH on the local chain.
    await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'anvil_setBalance',
        params: [created.wallet.address, '0x56bc75e2d63100000'],
      }),
    })
    demo = {
      agentId: created.agent.id,
      walletId: created.wallet.id,
      address: created.wallet.address,
      apiKey: created.apiKey!.secret,
    }
  }

  const sample = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
  print(
    options,
    { url, rpc_url: anvil.rpcUrl, data_dir: dataDir, owner_token: ownerToken ?? null, demo: demo ?? null },
    () =>
      [
        '',
        `Bursar is running at ${url}   (anvil ${anvil.rpcUrl}, data in ${dataDir})`,
        `API reference: ${url}/docs`,
        `/readyz and /metrics take the operator token in ${join(dataDir, 'operator-token')}`,
        ...(demo
          ? [
              '',
              'First start: created an owner and a demo agent with a wallet funded with 100 ETH.',
              `  owner token  ${ownerToken}   (saved to ${join(dataDir, 'owner-token')}; the CLI reads it from there)`,
              `  demo agent   ${demo.agentId}`,
              `  wallet       ${demo.walletId}  ${demo.address}`,
              `  API KEY      ${demo.apiKey}`,
              '               shown once: Bursar stores only its hash. Copy it now.',
              '',
              'Try it (send 0.01 ETH, then watch it reach "confirmed"):',
              `  export BURSAR_API_KEY=${demo.apiKey}`,
              `  curl -s -X POST ${url}/v1/intents -H "authorization: Bearer $BURSAR_API_KEY" -H 'content-type: application/json' \\`,
              `       -d '{"type":"transfer","network":"anvil","to":"${sample}","amount":"10000000000000000"}'`,
              `  curl -s ${url}/v1/intents -H "authorization: Bearer $BURSAR_API_KEY"`,
              '  npx bursar audit verify',
            ]
          : [
              '',
              'Everything is as you left it. The demo API key was shown on first start only;',
              'make a new one with: npx bursar key create <agent id>   (npx bursar agent list shows ids)',
            ]),
        '',
        'Ctrl-C stops Bursar and the chain; the next `npm start` finds everything as it was.',
      ].join('\n'),
  )

  await new Promise<void>((resolveStop) => {
    let stopping = false
    const stop = async () => {
      if (stopping) return
      stopping = true
      process.stderr.write('\nstopping…\n')
      await bursar.close()
      await anvil.stop()
      releaseLock()
      resolveStop()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
