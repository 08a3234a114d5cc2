/** A running Bursar for tests: real database, real anvil, HTTP on a free port or in process, an owner ready. */
import { createAgent } from '@bursar/server/agents'
import { type BursarConfig, defaultConfig } from '@bursar/server/config'
import { type RegisteredFamily, type RunningBursar, startBursar } from '@bursar/server/start'
import { type Db, insertOrganisationWithToken, sealAudit } from '@bursar/store'
import type { InjectOptions } from 'fastify'
import { captureLogs, type LogCapture } from './logs.ts'

type InjectMethod = NonNullable<InjectOptions['method']>
const redirects = [301, 302, 303, 307, 308]

export const testMasterKey = 'test-master-key-do-not-use-in-production'
export const testOperatorToken = 'bsr_op_test-operator-token'

export type TestBursar = RunningBursar & {
  /** The test organisation (its id was the owner's before owners became organisations). */
  ownerId: string
  /** An admin service token of it, also the instance admin's (it may halt). */
  ownerToken: string
  ownerTokenId: string
  logs: LogCapture
  /** Seals what is written into the audit chain now, signed with this instance's audit key. */
  seal(): Promise<number>
  createAgent(params?: {
    name?: string
    policy?: unknown
  }): Promise<{ agentId: string; walletId: string; address: `0x${string}`; apiKey: string }>
  /**
   * HTTP helper: JSON in, { status, body, headers } out (header names lower-case); over the socket, or through
   * `app.inject` when not listening.
   */
  http(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, string> }>
}

export type StartTestBursarParameters = {
  db: Db
  /** Network configurations, each checked by its family. */
  networks: readonly unknown[]
  /** Chain families served, with their signers (default: EVM with the keystore). */
  families?: RegisteredFamily[]
  executor?: boolean
  config?: Partial<BursarConfig>
  /**
   * Listen on a free port (default true). When false, nothing is bound: `url` is '' and `http()` goes through
   * Fastify's `app.inject`, which runs the same hooks, parsers and error handler without a socket.
   */
  listen?: boolean
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
      validateResponses: true,
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
      listen: parameters.listen ?? true,
      ...(parameters.families === undefined ? {} : { families: parameters.families }),
    },
  )
  const {
    organisation: owner,
    token,
    tokenId,
  } = await running.ctx.db.transaction((tx) =>
    insertOrganisationWithToken(tx, 'test owner', { instanceAdmin: true }),
  )
  /** Over the socket when listening, through `app.inject` otherwise: the same request either way. */
  const send = async (method: string, path: string, headers: Record<string, string>, body?: string) => {
    if (running.url) {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      })
      return {
        status: response.status,
        text: await response.text(),
        headers: Object.fromEntries(response.headers.entries()),
      }
    }
    // fetch follows redirects (GET /docs → /docs/); so does this, for those that stay on this server.
    for (let hops = 0; ; hops++) {
      const response = await running.app.inject({
        method: method as InjectMethod,
        url: path,
        headers,
        ...(body === undefined ? {} : { payload: body }),
      })
      const location = response.headers.location
      if (
        !redirects.includes(response.statusCode) ||
        typeof location !== 'string' ||
        !location.startsWith('/') ||
        hops === 20
      ) {
        const flat = Object.entries(response.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : String(value),
        ])
        return { status: response.statusCode, text: response.body, headers: Object.fromEntries(flat) }
      }
      // As fetch does: 303, and 301/302 after a POST, continue as a GET without a body.
      if (response.statusCode === 303 || (response.statusCode < 303 && method === 'POST')) {
        method = 'GET'
        body = undefined
        delete headers['content-type']
      }
      path = location
    }
  }
  const http: TestBursar['http'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers }
    const token = options.token ?? undefined
    if (token) headers.authorization = `Bearer ${token}`
    let body: string | undefined
    if (options.rawBody !== undefined) body = options.rawBody
    else if (options.body !== undefined) body = JSON.stringify(options.body)
    if (body !== undefined) headers['content-type'] ??= 'application/json'
    const { status, text, headers: responseHeaders } = await send(method, path, headers, body)
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {}
    return { status, body: parsed as any, headers: responseHeaders }
  }
  return {
    ...running,
    ownerId: owner.id,
    ownerToken: token,
    ownerTokenId: tokenId,
    logs,
    http,
    // Queues behind the server's own sealer rather than returning 0 while it is mid-commit.
    seal: () =>
      sealAudit(
        running.ctx.db,
        {
          publicKey: running.ctx.keystore.auditPublicKey,
          sign: (message) => running.ctx.keystore.signAudit(message),
        },
        { wait: true },
      ),
    async createAgent(params = {}) {
      const created = await createAgent(
        running.ctx,
        { orgId: owner.id, actor: { type: 'service_token', id: tokenId } },
        {
          name: params.name ?? 'agent',
          ...(params.policy === undefined ? {} : { policy: params.policy }),
          createKey: true,
        },
      )
      return {
        agentId: created.agent.id,
        walletId: created.wallet.id,
        address: created.wallet.address as `0x${string}`,
        apiKey: created.apiKey!.secret,
      }
    },
  }
}
