/** Starts a Bursar instance: database, keystore, chain adapters, HTTP API and workers. */
import { evmFamily } from '@bursar/chains/evm'
import { nodeCedarEngine } from '@bursar/core/cedar-node'
import { defaultCedarEngine, setDefaultCedarEngine } from '@bursar/core/policy'
import {
  createDb,
  type Db,
  listUnsealedPolicies,
  migrate,
  pruneLoginAttempts,
  pruneWebauthnChallenges,
} from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'
import { buildApp } from './app.ts'
import { type BursarConfig, validateNetworks } from './config.ts'
import type { ServerContext } from './context.ts'
import { createAuditTail } from './events/createAuditTail.ts'
import { loadKeystore } from './keystore.ts'
import { createLogger } from './logger.ts'
import { createMetrics } from './metrics.ts'
import { checkChainIds } from './startup/checkChainIds.ts'
import { createAdapters, networkEntries, type RegisteredFamily } from './startup/networkEntries.ts'
import { sealingMigration, sealLegacyRecords } from './startup/sealLegacyRecords.ts'
import { deliverWebhooks } from './webhooks/deliverWebhooks.ts'
import { broadcastSigned } from './workers/broadcastSigned.ts'
import { confirmBroadcast } from './workers/confirmBroadcast.ts'
import { expireApprovals } from './workers/expireApprovals.ts'
import { feedWebhooks } from './workers/feedWebhooks.ts'
import { startLoop, type WorkerLoop } from './workers/loop.ts'
import { queueTimelocked } from './workers/queueTimelocked.ts'
import { createAuditSealer } from './workers/sealAndCheckpoint.ts'
import { signQueued } from './workers/signQueued.ts'
import { watchReorgs } from './workers/watchReorgs.ts'

export type { RegisteredFamily }

export type StartBursarOptions = {
  /** Use this database instead of opening one from config (tests; the caller closes it). */
  db?: Db
  logDestination?: DestinationStream
  /** argon2id cost override, for tests only. */
  kdf?: { memoryKiB?: number; iterations?: number }
  listen?: boolean
  /** The chain families this instance serves (default: EVM), each with who signs for it (default: the keystore). */
  families?: RegisteredFamily[]
}

// How long a shutdown waits for workers to finish the step they are in.
const shutdownBoundMs = 15_000

export type RunningBursar = { ctx: ServerContext; app: FastifyInstance; url: string; close(): Promise<void> }

export async function startBursar(
  config: BursarConfig,
  options: StartBursarOptions = {},
): Promise<RunningBursar> {
  const logger = createLogger(config.logLevel, options.logDestination)
  // Configuration first: a wrong network must stop Bursar before it opens anything.
  const families = options.families ?? [{ family: evmFamily }]
  const networks = validateNetworks(
    config.networks,
    new Map(families.map((entry) => [entry.family.family, entry.family])),
  )
  // The RPC endpoint pools report through the server's logger (never a URL: they name endpoints by number).
  const adapters = createAdapters(networks, families, {
    log: (level, message, fields) => logger[level](fields, message),
  })
  const { verified, unreachable } = await checkChainIds(adapters.map((entry) => entry.adapter))
  for (const name of unreachable) {
    logger.warn(
      { network: name },
      'RPC did not answer eth_chainId at start; checked again before the first signature',
    )
  }
  if (defaultCedarEngine() === undefined) setDefaultCedarEngine(nodeCedarEngine())
  const db = options.db ?? (await createDb(config.database))
  const { applied } = await migrate(db)
  const keystore = await loadKeystore(db, config.masterKey, options.kdf)
  const loops: WorkerLoop[] = []
  const served = networkEntries(adapters, keystore, verified)
  const ctx: ServerContext = {
    config: { ...config, networks },
    db,
    keystore,
    networks: served.networks,
    families: served.families,
    logger,
    metrics: createMetrics(),
    auditTail: createAuditTail({ db, logger }),
    wakeExecutor: () => {
      for (const loop of loops) loop.wake()
    },
  }
  const seal =
    config.sealExisting === true ||
    (config.sealExisting === 'on-upgrade' && applied.includes(sealingMigration))
  if (seal) {
    await sealLegacyRecords(ctx)
  } else {
    const unsealed = await listUnsealedPolicies(db)
    if (unsealed.length > 0) {
      logger.error(
        { policies: unsealed.length },
        'policy versions written before sealing are refused (their agents freeze on use); once you have checked them, start once with BURSAR_SEAL_EXISTING=1',
      )
    }
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
    // Blocks come every few seconds on real chains: a look per block or two is enough to catch a reorg in time.
    loops.push(
      startLoop('reorg-watch', logger, Math.max(poll * 4, 1000), async () => (await watchReorgs(ctx)) > 0),
    )
  }
  // Every process expires unanswered approval requests (skip-locked claims keep them apart), executor or not: a held
  // reservation must come back even when nobody looks and nothing signs.
  loops.push(startLoop('approval-expiry', logger, 1000, async () => (await expireApprovals(ctx)) > 0))
  loops.push(startLoop('approval-timelock', logger, 1000, async () => (await queueTimelocked(ctx)) > 0))
  // Used and expired WebAuthn challenges, and login throttle rows quiet for a day, are worth nothing: keep the tables small.
  loops.push(
    startLoop('housekeeping', logger, 60_000, async () => {
      await pruneWebauthnChallenges(db)
      await pruneLoginAttempts(db)
      return false
    }),
  )
  loops.push(startLoop('webhook-feed', logger, 500, async () => (await feedWebhooks(ctx)) > 0))
  loops.push(
    startLoop(
      'webhook-delivery',
      logger,
      1000,
      async () =>
        (
          await deliverWebhooks({
            ...ctx,
            allowPrivateNetworks: config.webhooks?.allowPrivateNetworks ?? false,
          })
        ).claimed > 0,
    ),
  )
  // Every process runs a sealer; an advisory lock lets one at a time extend the chain.
  const sealer = createAuditSealer(ctx)
  loops.push(startLoop('audit-sealer', logger, 100, async () => (await sealer.step()) > 0))
  let url = ''
  if (options.listen !== false) {
    url = await app.listen({ host: config.host, port: config.port })
  } else {
    await app.ready()
  }
  logger.info(
    { url, networks: [...ctx.networks.keys()], database: db.kind, audit_public_key: keystore.auditPublicKey },
    'bursar started',
  )
  return {
    ctx,
    app,
    url,
    async close() {
      // Stop taking requests (those in flight finish), then stop claiming work: each worker finishes the step it is
      // in. A step stuck on an unreachable RPC is not waited for past the bound: what it claimed is released when
      // its database transaction ends with the connection, or when its lease runs out.
      await app.close()
      const stopped = Promise.all(loops.map((loop) => loop.stop()))
      let timer: NodeJS.Timeout | undefined
      const late = await Promise.race([
        stopped.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), shutdownBoundMs)
        }),
      ])
      clearTimeout(timer)
      if (late)
        logger.warn({ bound_ms: shutdownBoundMs }, 'shutdown: workers still busy at the bound; leaving')
      // Leave nothing unsealed behind on a clean shutdown, and say where the chain ended.
      await sealer.step().catch(() => 0)
      await sealer.publish().catch(() => undefined)
      for (const { adapter } of adapters) adapter.close?.()
      keystore.close()
      if (!options.db) await db.close()
    },
  }
}
