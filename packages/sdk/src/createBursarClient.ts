/** The agent's client: submit intents, follow them to a final state, read balances. */
import type { Balances, Intent, IntentRequest, IntentStatus } from '@bursar/core/api'
import { BursarApiError } from './BursarApiError.ts'
import { parseIntentRequest } from './parseIntentRequest.ts'
import { request, type Transport } from './request.ts'

export type BursarClientParameters = { url: string; apiKey: string; fetch?: typeof fetch }

export type SendIntentOptions = { idempotencyKey?: string }
export type ListIntentsParameters = {
  status?: IntentStatus
  network?: string
  limit?: number
  cursor?: string
}
export type ListIntentsReturnType = { data: Intent[]; next_cursor: string | null }
export type WaitForIntentOptions = {
  /** The statuses to stop at (default: `finalStatuses`). */
  until?: IntentStatus[]
  /** Default 120 s. An intent that waits on people may wait until its approval request expires: allow for that. */
  timeoutMs?: number
  pollIntervalMs?: number
  /**
   * Called with the intent when its status is first seen and whenever it is seen to change, the final one included:
   * e.g. `pending_approval`, to tell someone it waits on an approval. Polling sees what lasts longer than a poll
   * interval; brief statuses in between (signed, broadcast) may be missed.
   */
  onStatus?: (intent: Intent) => void
}

export const finalStatuses: IntentStatus[] = [
  'confirmed',
  'failed',
  'rejected',
  'denied',
  'expired',
  'cancelled',
  'replaced',
]

export type BursarClient = {
  sendIntent(intent: IntentRequest, options?: SendIntentOptions): Promise<Intent>
  getIntent(id: string): Promise<Intent>
  /**
   * Polls until the intent reaches a final status (or one of `until`): through `pending_approval` and `approved` to
   * `confirmed`, `denied`, `expired`, `failed`, …; WAIT_TIMEOUT (with the last status) when `timeoutMs` runs out.
   */
  waitForIntent(id: string, options?: WaitForIntentOptions): Promise<Intent>
  listIntents(parameters?: ListIntentsParameters): Promise<ListIntentsReturnType>
  cancelIntent(id: string): Promise<Intent>
  getBalances(walletId?: string, options?: { network?: string }): Promise<Balances>
}

/**
 * @example
 * const bursar = createBursarClient({ url: 'http://127.0.0.1:8420', apiKey: process.env.BURSAR_API_KEY! })
 * const intent = await bursar.sendIntent({ type: 'transfer', network: 'anvil', to: '0x…', amount: '1000' })
 * await bursar.waitForIntent(intent.id, {
 *   timeoutMs: 3_600_000, // people may take a while to approve
 *   onStatus: ({ status }) => console.log(status), // pending_approval, approved, …, confirmed
 * })
 */
export function createBursarClient(parameters: BursarClientParameters): BursarClient {
  const transport: Transport = parameters
  const client: BursarClient = {
    async sendIntent(intent, options = {}) {
      const body = parseIntentRequest(intent)
      return request<Intent>(transport, 'POST', 'v1/intents', {
        body,
        ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
      })
    },
    getIntent: (id) => request<Intent>(transport, 'GET', `v1/intents/${encodeURIComponent(id)}`),
    async waitForIntent(id, options = {}) {
      const until = options.until ?? finalStatuses
      const deadline = Date.now() + (options.timeoutMs ?? 120_000)
      let seen: IntentStatus | undefined
      for (;;) {
        const intent = await client.getIntent(id)
        if (intent.status !== seen) {
          seen = intent.status
          options.onStatus?.(intent)
        }
        if (until.includes(intent.status)) return intent
        if (Date.now() > deadline) {
          throw new BursarApiError({
            code: 'WAIT_TIMEOUT',
            message: `intent ${id} is still ${intent.status}`,
            status: 0,
            details: { status: intent.status },
          })
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 250))
      }
    },
    listIntents: (params = {}) =>
      request<ListIntentsReturnType>(transport, 'GET', 'v1/intents', {
        query: { status: params.status, network: params.network, limit: params.limit, cursor: params.cursor },
      }),
    cancelIntent: (id) => request<Intent>(transport, 'POST', `v1/intents/${encodeURIComponent(id)}/cancel`),
    async getBalances(walletId, options = {}) {
      let id = walletId
      if (!id) {
        const wallets = await request<{ data: Array<{ id: string }> }>(transport, 'GET', 'v1/wallets')
        id = wallets.data[0]?.id
        if (!id)
          throw new BursarApiError({
            code: 'WALLET_NOT_FOUND',
            message: 'this agent has no wallet',
            status: 404,
          })
      }
      return request<Balances>(transport, 'GET', `v1/wallets/${encodeURIComponent(id)}/balances`, {
        query: { network: options.network },
      })
    },
  }
  return client
}
