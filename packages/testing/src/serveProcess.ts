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
    database: {
      kind: 'postgres',
      url: process.env.DATABASE_URL!,
      maxConnections: Number(process.env.BURSAR_DB_CONNECTIONS ?? 10),
    },
    masterKey: process.env.BURSAR_MASTER_KEY!,
    networks: JSON.parse(process.env.BURSAR_NETWORKS!),
    prices: {},
    executor: {
      ...defaultConfig.executor,
      enabled: process.env.BURSAR_EXECUTOR === '1',
      pollIntervalMs: 50,
      // The test's own timings (leases, rebroadcast, replacement), JSON.
      ...JSON.parse(process.env.BURSAR_EXECUTOR_CONFIG ?? '{}'),
    },
  },
  { kdf: { memoryKiB: 64, iterations: 1 } },
)
// The crash test's injector: at each named point of the execution path, die (SIGKILL, nothing cleaned up) with the
// configured probability. `{"after_broadcast": 0.05}` in BURSAR_FAULTS.
const faults = JSON.parse(process.env.BURSAR_FAULTS ?? '{}') as Record<string, number>
if (Object.keys(faults).length > 0) {
  bursar.ctx.faultPoint = (point) => {
    if (Math.random() < (faults[point] ?? 0)) process.kill(process.pid, 'SIGKILL')
  }
}
process.stdout.write(`${JSON.stringify({ url: bursar.url })}\n`)
process.once('SIGTERM', () => {
  void bursar.close().then(() => process.exit(0))
})
