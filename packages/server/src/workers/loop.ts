/** A worker loop: runs `step` until it reports no work, then sleeps until woken or the poll interval passes. */
import type { Logger } from '../logger.ts'

export type WorkerLoop = { wake(): void; stop(): Promise<void> }

export function startLoop(
  name: string,
  logger: Logger,
  pollIntervalMs: number,
  step: () => Promise<boolean>,
): WorkerLoop {
  let running = true
  let wakeUp: (() => void) | undefined
  let woken = false
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false
        return resolve()
      }
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wakeUp = undefined
        woken = false
        resolve()
      }
      wakeUp = done
    })
  const finished = (async () => {
    let failures = 0
    while (running) {
      try {
        const busy = await step()
        failures = 0
        if (!busy) await sleep(pollIntervalMs)
      } catch (error) {
        failures++
        // A database or RPC outage must not kill the worker: log, back off, try again.
        logger.warn({ worker: name, err: error }, 'worker step failed')
        await sleep(Math.min(pollIntervalMs * 2 ** failures, 10_000))
      }
    }
  })()
  return {
    wake() {
      if (wakeUp) wakeUp()
      else woken = true
    },
    async stop() {
      running = false
      // A step still running would otherwise go to sleep for a whole interval after it: wake that sleep too.
      if (wakeUp) wakeUp()
      else woken = true
      await finished
    },
  }
}
