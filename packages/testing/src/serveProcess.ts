/**
 * A Bursar server in its own process, for multi-process tests: configured by environment, prints one JSON line
 * `{"url": …}` when it listens, exits cleanly on SIGTERM.
 */
import { defaultConfig } from '@bursar/server/config'
import { startBursar } from '@bursar/server/start'

const bursar = await startBursar(
  {
    ...defaultConfig,
    port: 0,
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    database: { kind: 'postgres', url: process.env.DATABASE_URL!, maxConnections: 10 },
    masterKey: process.env.BURSAR_MASTER_KEY!,
    networks: JSON.parse(process.env.BURSAR_NETWORKS!),
    prices: {},
    executor: { ...defaultConfig.executor, enabled: process.env.BURSAR_EXECUTOR === '1', pollIntervalMs: 50 },
  },
  { kdf: { memoryKiB: 64, iterations: 1 } },
)
process.stdout.write(`${JSON.stringify({ url: bursar.url })}\n`)
process.once('SIGTERM', () => {
  void bursar.close().then(() => process.exit(0))
})
