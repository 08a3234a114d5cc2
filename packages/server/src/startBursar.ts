/** Starts a Bursar instance: database, keystore, chain adapters, HTTP API and workers. */
import { createEvmAdapter } from '@bursar/chains/evm'
import { createDb, type Db, migrate, sealAudit } from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'
import { buildApp } from './app.ts'
import type { BursarConfig } from './config.ts'
import type { ServerContext } from './context.ts'
import { loadKeystore } from './keystore.ts'
import { createLogger } from './logger.ts'
import { createMetrics } from './metrics.ts'
import { broadcastSigned } from './workers/broadcastSigned.ts'
import { confirmBroadcast } from './workers/confirmBroadcast.ts'
import { startLoop, type WorkerLoop } from './workers/loop.ts'
import { signQueued } from './workers/signQueued.ts'

export type StartBursarOptions = {
  /** Use this database instead of opening one from config (tests; the caller closes it). */
  db?: Db
  logDestination?: DestinationStream
  /** argon2id cost override, for tests only. */
  kdf?: { memoryKiB?: number; iterations?: number }
  listen?: boolean
}

export type RunningBursar = { ctx: ServerContext; app: FastifyInstance; url: string; close(): Promise<void> }

export async function startBursar(
  config: BursarConfig,
  options: StartBursarOptions = {},
): Promise<RunningBursar> {
  const logger = createLogger(config.logLevel, options.logDestination)
  const db = options.db ?? (await createDb(config.database))
  await migrate(db)
  const keystore = await loadKeystore(db, config.masterKey, options.kdf)
  const networks = new Map(
    config.networks.map((network) => [network.name, { network, adapter: createEvmAdapter(network) }]),
  )
  const loops: WorkerLoop[] = []
  const ctx: ServerContext = {
    config,
    db,
    keystore,
    networks,
    logger,
    metrics: createMetrics(),
    wakeExecutor: () => {
      for (const loop of loops) loop.wake()
    },
  }
  const app = buildApp(ctx)
  if (config.executor.enabled) {
    const poll = config.executor.pollIntervalMs
    loops.push(
      startLoop(
        'executor',
        logger,
        poll,
        async () => (await signQueued(ctx)) + (await broadcastSigned(ctx)) > 0,
      ),
    )
    loops.push(startLoop('confirmer', logger, poll, async () => (await confirmBroadcast(ctx)) > 0))
  }
  // Every process runs a sealer; an advisory lock lets one at a time extend the chain.
  loops.push(startLoop('audit-sealer', logger, 100, async () => (await sealAudit(db)) > 0))
  let url = ''
  if (options.listen !== false) {
    url = await app.listen({ host: config.host, port: config.port })
  } else {
    await app.ready()
  }
  logger.info({ url, networks: [...networks.keys()], database: db.kind }, 'bursar started')
  return {
    ctx,
    app,
    url,
    async close() {
      await app.close()
      await Promise.all(loops.map((loop) => loop.stop()))
      // Leave nothing unsealed behind on a clean shutdown.
      await sealAudit(db).catch(() => 0)
      keystore.close()
      if (!options.db) await db.close()
    },
  }
}
