/** Starts Bursar servers as separate OS processes sharing one PostgreSQL database (see serveProcess.ts). */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { EvmNetwork } from '@bursar/core/networks'
import { testMasterKey } from './bursar.ts'

export type BursarProcess = { url: string; child: ChildProcess; stop(): Promise<void> }

const tsx = createRequire(import.meta.url).resolve('tsx/cli')
const script = fileURLToPath(new URL('./serveProcess.ts', import.meta.url))

export async function startBursarProcess(params: {
  databaseUrl: string
  networks: EvmNetwork[]
  executor: boolean
}): Promise<BursarProcess> {
  const child = spawn(process.execPath, [tsx, script], {
    env: {
      ...process.env,
      DATABASE_URL: params.databaseUrl,
      BURSAR_MASTER_KEY: testMasterKey,
      BURSAR_NETWORKS: JSON.stringify(params.networks),
      BURSAR_EXECUTOR: params.executor ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk)
  })
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = ''
    child.stdout!.on('data', (chunk) => {
      buffer += String(chunk)
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('{"url"'))
      if (line) resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) =>
      reject(new Error(`bursar process exited with ${code}: ${stderr.slice(-2000)}`)),
    )
  })
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
