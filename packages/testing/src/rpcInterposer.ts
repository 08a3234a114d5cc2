/**
 * A JSON-RPC server in front of a real node (anvil) that forwards everything, except that the test decides what
 * happens to each eth_sendRawTransaction: passed on, refused in the node's words (after forwarding it or not), or
 * answered with a dropped connection. That is how a node that refuses what another node mines, a refusal worded in
 * a way Bursar does not know, or an answer lost after the node took the transaction are reproduced. For anything
 * else (a node that lags, a block mined at the worst moment) a test can take over any request with onRequest.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type RpcRequest = { jsonrpc: '2.0'; id: number | string; method: string; params?: unknown[] }

/** Answers a request itself (a JSON-RPC response object), or returns undefined to let the usual handling run. */
export type RequestHook = (
  request: RpcRequest,
  forward: (body: unknown) => Promise<unknown>,
) => Promise<unknown> | undefined

export type SendRule =
  | { kind: 'pass' }
  /** A JSON-RPC error with this message; `forward`: the node gets the transaction anyway (it may mine it). */
  | { kind: 'refuse'; message: string; forward?: boolean }
  /** The node gets the transaction, the caller gets a dropped connection instead of the answer. */
  | { kind: 'lose_answer' }

export type RpcInterposer = {
  url: string
  /** Decides, per raw transaction, what to do (default: pass everything). */
  onSend(rule: (raw: string) => SendRule): void
  /** Runs before everything else on every request (default: none). */
  onRequest(hook: RequestHook | undefined): void
  /** How many eth_sendRawTransaction requests arrived. */
  sends(): number
  close(): Promise<void>
}

export async function startRpcInterposer(targetUrl: string): Promise<RpcInterposer> {
  let rule: (raw: string) => SendRule = () => ({ kind: 'pass' })
  let hook: RequestHook | undefined
  let sends = 0
  const forward = async (body: unknown): Promise<unknown> => {
    const response = await fetch(targetUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return response.json()
  }
  // One request: its answer, or 'drop' when the connection must be cut.
  const handle = async (request: RpcRequest): Promise<unknown> => {
    const taken = await hook?.(request, forward)
    if (taken !== undefined) return taken
    if (request.method !== 'eth_sendRawTransaction') return forward(request)
    sends++
    const decision = rule(String(request.params?.[0]))
    if (decision.kind === 'pass') return forward(request)
    if (decision.kind === 'lose_answer') {
      await forward(request)
      return 'drop'
    }
    if (decision.forward) await forward(request)
    return { jsonrpc: '2.0', id: request.id, error: { code: -32000, message: decision.message } }
  }
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      try {
        const body = JSON.parse(await readBody(incoming)) as RpcRequest | RpcRequest[]
        const answers = Array.isArray(body) ? await Promise.all(body.map(handle)) : [await handle(body)]
        if (answers.includes('drop')) {
          incoming.socket.destroy()
          return
        }
        outgoing.setHeader('content-type', 'application/json')
        outgoing.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]))
      } catch {
        incoming.socket.destroy()
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    onSend(next) {
      rule = next
    },
    onRequest(next) {
      hook = next
    },
    sends: () => sends,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
