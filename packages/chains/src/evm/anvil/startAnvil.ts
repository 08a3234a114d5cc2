/** Runs a local anvil node from the installed npm package, for development and tests. */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { BursarError } from '@bursar/core/errors'

export type StartAnvilOptions = {
  /** 0 or undefined: let the OS pick a free port. */
  port?: number
  /** Loaded at start, written every few seconds and on stop, so the chain survives restarts. */
  stateFile?: string
  chainId?: number
  mnemonic?: string
  /** Seconds between blocks; without it every transaction is mined at once. */
  blockTime?: number
  /** Base fee of the genesis block in wei. 0 keeps it at 0, so fees are exactly gas × priority fee (tests). */
  baseFee?: bigint
  /** Do not forward anvil's output (it logs every RPC call). Default true. */
  silent?: boolean
  /** Default 15 s. */
  readyTimeoutMs?: number
}

export type Anvil = {
  rpcUrl: string
  port: number
  /** SIGTERM, then waits for the exit, so the state file is complete when this resolves. */
  stop(): Promise<void>
}

const stateIntervalSeconds = 5
const stopTimeoutMs = 10_000

/**
 * @example
 * const anvil = await startAnvil({ stateFile: '.bursar/anvil.json' })
 * const network = { ...anvilNetwork, rpcUrls: [anvil.rpcUrl] }
 * await anvil.stop()
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<Anvil> {
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0)]
  if (options.chainId !== undefined) args.push('--chain-id', String(options.chainId))
  if (options.mnemonic !== undefined) args.push('--mnemonic', options.mnemonic)
  if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime))
  if (options.baseFee !== undefined) args.push('--base-fee', options.baseFee.toString())
  if (options.stateFile !== undefined) {
    // anvil silently skips the dump when the directory is missing.
    await mkdir(dirname(options.stateFile), { recursive: true })
    args.push('--state', options.stateFile, '--state-interval', String(stateIntervalSeconds))
  }

  // Never --silent: with port 0 the only way to learn the port is anvil's "Listening on" line.
  const child = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // An orphaned anvil would hold its port; SIGTERM still lets it write its state file.
  const killOnExit = () => child.kill('SIGTERM')
  process.once('exit', killOnExit)
  const stop = async () => {
    process.off('exit', killOnExit)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs)
    await exited
    clearTimeout(timer)
  }

  try {
    const port = await waitForPort(child, options.silent ?? true, options.readyTimeoutMs ?? 15_000)
    const rpcUrl = `http://127.0.0.1:${port}`
    await waitForRpc(rpcUrl, exited)
    return { rpcUrl, port, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

function anvilBinaryPath(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const name = `@foundry-rs/anvil-${process.platform}-${arch}`
  try {
    const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`)
    return join(dirname(manifest), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
  } catch (error) {
    throw new BursarError(
      'INTERNAL',
      `anvil is not installed for this platform: npm package ${name} not found`,
      {
        cause: error,
      },
    )
  }
}

function waitForPort(child: ChildProcess, silent: boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    let listening = false
    // Only stderr goes into errors: stdout starts with a banner of private keys.
    let stderr = ''
    const timer = setTimeout(() => fail(`anvil did not start listening within ${timeoutMs} ms`), timeoutMs)
    function fail(message: string) {
      clearTimeout(timer)
      reject(
        new BursarError('RPC_UNAVAILABLE', message, { details: { retryable: false, stderr: stderr.trim() } }),
      )
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!silent) process.stdout.write(chunk)
      // Stop buffering once the port is known: anvil logs every request for as long as it runs.
      if (listening) return
      stdout += chunk.toString()
      const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(stdout)
      if (match?.[1] !== undefined) {
        listening = true
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      if (!silent) process.stderr.write(chunk)
      stderr = (stderr + chunk.toString()).slice(-2_000)
    })
    child.once('error', (error) => fail(`anvil could not be started: ${error.message}`))
    child.once('exit', (code, signal) => {
      // Let the last stderr chunk arrive before reporting it.
      setImmediate(() =>
        fail(`anvil exited before it was ready (${signal ?? `exit code ${code}`}): ${stderr.trim()}`),
      )
    })
  })
}

async function waitForRpc(rpcUrl: string, exited: Promise<void>): Promise<void> {
  let gone = false
  void exited.then(() => {
    gone = true
  })
  for (let attempt = 0; attempt < 200; attempt++) {
    if (gone) throw new BursarError('RPC_UNAVAILABLE', 'anvil exited before answering eth_chainId')
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      })
      if (response.ok) return
    } catch {
      // Not accepting connections yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new BursarError('RPC_UNAVAILABLE', 'anvil is listening but does not answer eth_chainId')
}
