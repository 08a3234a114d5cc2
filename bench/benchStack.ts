/** What every server-side benchmark runs against: a fresh anvil, a fresh PostgreSQL database, a Bursar in process. */
import { startTestAnvil } from '@bursar/testing/anvil'
import { startTestBursar } from '@bursar/testing/bursar'
import { createTestDb } from '@bursar/testing/database'

export async function startBenchStack(options: { executor: boolean }) {
  const anvil = await startTestAnvil()
  // The server's default pool size: many clients queue for 20 connections, as they would against a deployment.
  const t = await createTestDb('postgres', { maxConnections: 20 })
  const bursar = await startTestBursar({
    db: t.db,
    networks: [anvil.network],
    executor: options.executor,
    config: { logLevel: 'warn' },
  })
  return {
    anvil,
    t,
    bursar,
    async close() {
      await bursar.close()
      await t.drop()
      await anvil.stop()
    },
  }
}

/** Runs `n` operations with `concurrency` in flight and returns each one's latency in ms, ascending. */
export async function runConcurrently(
  n: number,
  concurrency: number,
  operation: (i: number) => Promise<void>,
): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++
        const t0 = performance.now()
        await operation(i)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return latencies.sort((a, b) => a - b)
}
