/** A running Bursar for tests: real database, real anvil, real HTTP on a free port, an owner ready to use. */
import { createAgent } from '@bursar/server/agents'
import { type BursarConfig, defaultConfig } from '@bursar/server/config'
import { type RegisteredFamily, type RunningBursar, startBursar } from '@bursar/server/start'
import { type Db, insertOwner, sealAudit } from '@bursar/store'
import { captureLogs, type LogCapture } from './logs.ts'

export const testMasterKey = 'test-master-key-do-not-use-in-production'
export const testOperatorToken = 'bsr_op_test-operator-token'

export type TestBursar = RunningBursar & {
  ownerId: string
  ownerToken: string
  logs: LogCapture
  /** Seals what is written into the audit chain now, signed with this instance's audit key. */
  seal(): Promise<number>
  createAgent(params?: {
    name?: string
    policy?: unknown
  }): Promise<{ agentId: string; walletId: string; address: `0x${string}`; apiKey: string }>
  /** HTTP helper: JSON in, { status, body } out. */
  http(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>
}

export type StartTestBursarParameters = {
  db: Db
  /** Network configurations, each checked by its family. */
  networks: readonly unknown[]
  /** Chain families served, with their signers (default: EVM with the keystore). */
  families?: RegisteredFamily[]
  executor?: boolean
  config?: Partial<BursarConfig>
}

export async function startTestBursar(parameters: StartTestBursarParameters): Promise<TestBursar> {
  const logs = captureLogs()
  const running = await startBursar(
    {
      ...defaultConfig,
      port: 0,
      logLevel: 'info',
      database: { kind: 'pglite' },
      masterKey: testMasterKey,
      networks: parameters.networks,
      prices: {},
      operatorToken: testOperatorToken,
      ...parameters.config,
      executor: {
        ...defaultConfig.executor,
        pollIntervalMs: 50,
        enabled: parameters.executor ?? true,
        ...parameters.config?.executor,
      },
    },
    {
      db: parameters.db,
      logDestination: logs.stream,
      kdf: { memoryKiB: 64, iterations: 1 },
      ...(parameters.families === undefined ? {} : { families: parameters.families }),
    },
  )
  const { owner, token } = await running.ctx.db.transaction((tx) => insertOwner(tx, 'test owner'))
  const http: TestBursar['http'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    const token = options.token ?? undefined
    if (token) headers.authorization = `Bearer ${token}`
    let body: string | undefined
    if (options.rawBody !== undefined) body = options.rawBody
    else if (options.body !== undefined) body = JSON.stringify(options.body)
    if (body !== undefined) headers['content-type'] ??= 'application/json'
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {}
    return { status: response.status, body: parsed as any }
  }
  return {
    ...running,
    ownerId: owner.id,
    ownerToken: token,
    logs,
    http,
    seal: () =>
      sealAudit(running.ctx.db, {
        publicKey: running.ctx.keystore.auditPublicKey,
        sign: (message) => running.ctx.keystore.signAudit(message),
      }),
    async createAgent(params = {}) {
      const created = await createAgent(running.ctx, owner.id, {
        name: params.name ?? 'agent',
        ...(params.policy === undefined ? {} : { policy: params.policy }),
        createKey: true,
      })
      return {
        agentId: created.agent.id,
        walletId: created.wallet.id,
        address: created.wallet.address as `0x${string}`,
        apiKey: created.apiKey!.secret,
      }
    },
  }
}
