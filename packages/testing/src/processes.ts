/** Starts Bursar servers as separate OS processes sharing one PostgreSQL database (see serveProcess.ts). */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { EvmNetwork } from '@bursar/core/networks'
import { testMasterKey } from './bursar.ts'

export type BursarProcess = {
  url: string
  child: ChildProcess
  /** SIGTERM (a graceful shutdown), resolved once the process exited. */
  stop(): Promise<void>
  /** SIGKILL (a crash: nothing cleaned up), resolved once the process is gone. */
  kill(): Promise<void>
  /** The tail of what it wrote (logs, errors). */
  output(): string
  /** Resolves with the signal or code the process ended with. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

// tsx as a loader in this very process, not its CLI: the CLI runs the script in a child of its own, so a SIGKILL
// to the CLI would leave the real server running, orphaned (a crash test that kills nothing).
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href
const script = fileURLToPath(new URL('./serveProcess.ts', import.meta.url))

export async function startBursarProcess(params: {
  databaseUrl: string
  networks: EvmNetwork[]
  executor: boolean
  /** Crash injection: point → probability of a SIGKILL there (see serveProcess.ts). */
  faults?: Record<string, number>
  /** Its PostgreSQL pool size (default 10): tests running many processes stay under the server's connection limit. */
  maxConnections?: number
  /** Executor settings over the defaults (timings: leases, rebroadcast, replacement). */
  executorConfig?: Record<string, number>
}): Promise<BursarProcess> {
  const child = spawn(process.execPath, ['--import', tsxLoader, script], {
    env: {
      ...process.env,
      DATABASE_URL: params.databaseUrl,
      BURSAR_MASTER_KEY: testMasterKey,
      BURSAR_NETWORKS: JSON.stringify(params.networks),
      BURSAR_EXECUTOR: params.executor ? '1' : '0',
      BURSAR_FAULTS: JSON.stringify(params.faults ?? {}),
      BURSAR_EXECUTOR_CONFIG: JSON.stringify(params.executorConfig ?? {}),
      BURSAR_DB_CONNECTIONS: String(params.maxConnections ?? 10),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk)
  })
  let buffer = ''
  const logged = () => buffer
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      buffer += String(chunk)
      // Keep the tail of what it logs, for a test to show when something went wrong.
      if (buffer.length > 200_000) buffer = buffer.slice(-100_000)
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('{"url"'))
      if (line) resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) =>
      reject(new Error(`bursar process exited with ${code}: ${stderr.slice(-2000)}`)),
    )
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode })
    else child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  return {
    url,
    child,
    exited,
    output: () => `${stderr.slice(-20_000)}\n${logged().slice(-20_000)}`,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
