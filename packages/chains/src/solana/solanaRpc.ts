/**
 * The Solana JSON-RPC calls Bursar makes, over @solana/kit's RPC client, with failures mapped to Bursar's codes: an
 * unreachable node is RPC_UNAVAILABLE (retryable), a refusal keeps the node's words and a reason.
 */
import { BursarError } from '@bursar/core/errors'
import {
  type Address,
  type Base64EncodedWireTransaction,
  createSolanaRpc,
  isSolanaError,
  type Signature,
} from '@solana/kit'
import type { SolanaNetwork } from './solanaNetworkSchema.ts'

export function createSolanaRpcFor(network: SolanaNetwork) {
  const rpc = createSolanaRpc(network.rpcUrls[0]!)
  const call = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send()
    } catch (error) {
      throw toBursarError(network, what, error)
    }
  }
  return {
    genesisHash: () => call('getGenesisHash', () => rpc.getGenesisHash().send()),
    slot: () => call('getSlot', () => rpc.getSlot({ commitment: 'confirmed' }).send()),
    blockHeight: () => call('getBlockHeight', () => rpc.getBlockHeight({ commitment: 'confirmed' }).send()),
    latestBlockhash: async () =>
      (await call('getLatestBlockhash', () => rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()))
        .value,
    balance: async (owner: Address) =>
      (await call('getBalance', () => rpc.getBalance(owner, { commitment: 'confirmed' }).send())).value,
    simulate: async (wire: Base64EncodedWireTransaction) =>
      (
        await call('simulateTransaction', () =>
          rpc
            .simulateTransaction(wire, {
              encoding: 'base64',
              sigVerify: false,
              replaceRecentBlockhash: true,
              commitment: 'confirmed',
            })
            .send(),
        )
      ).value,
    send: (wire: Base64EncodedWireTransaction) =>
      call('sendTransaction', () =>
        rpc.sendTransaction(wire, { encoding: 'base64', preflightCommitment: 'confirmed' }).send(),
      ),
    status: async (signature: Signature) =>
      (
        await call('getSignatureStatuses', () =>
          rpc.getSignatureStatuses([signature], { searchTransactionHistory: true }).send(),
        )
      ).value[0] ?? null,
    transaction: (signature: Signature) =>
      call('getTransaction', () =>
        rpc
          .getTransaction(signature, {
            commitment: 'confirmed',
            encoding: 'json',
            maxSupportedTransactionVersion: 0,
          })
          .send(),
      ),
  }
}

/** A refusal: the node's message, and the reason the executor reads (as the EVM adapter words them). */
const refusals: Array<
  [RegExp, { reason: string; code: 'INSUFFICIENT_FUNDS' | 'VALIDATION_FAILED'; retryable: boolean }]
> = [
  [
    /already been processed|AlreadyProcessed/i,
    { reason: 'already_known', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [
    /Blockhash not found|BlockhashNotFound/i,
    { reason: 'expired', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [
    /insufficient (funds|lamports)|InsufficientFunds/i,
    { reason: 'insufficient_funds', code: 'INSUFFICIENT_FUNDS', retryable: false },
  ],
  [
    /signature verification|SignatureFailure/i,
    { reason: 'invalid_signature', code: 'VALIDATION_FAILED', retryable: false },
  ],
]

function toBursarError(network: SolanaNetwork, what: string, error: unknown): BursarError {
  if (error instanceof BursarError) return error
  const message = messageOf(error)
  // kit reports a JSON-RPC error answer as a SolanaError with the server's code; anything else (fetch failed, HTTP
  // 5xx, a body that is not JSON-RPC) means the node was not reached or did not answer.
  const answered =
    isSolanaError(error) &&
    /JSON_RPC|preflight|simulation/i.test(String(error.context?.__code ?? '') + message)
  if (!answered) {
    return new BursarError(
      'RPC_UNAVAILABLE',
      `Network ${network.name}: ${what} failed: the RPC did not answer`,
      {
        details: { network: network.name, retryable: true, reason: reasonOfTransport(error) },
      },
    )
  }
  const refusal = refusals.find(([pattern]) => pattern.test(message))?.[1]
  const { reason, code, retryable } = refusal ?? {
    reason: 'rejected',
    code: 'VALIDATION_FAILED',
    retryable: true,
  }
  return new BursarError(code, `Network ${network.name} refused ${what}: ${message}`, {
    details: { network: network.name, retryable, reason },
  })
}

function messageOf(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(current.message)
    const context = (current as { context?: Record<string, unknown> }).context
    if (context !== undefined)
      parts.push(JSON.stringify(context, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
    current = current.cause
  }
  return parts.join(' | ').slice(0, 2000)
}

function reasonOfTransport(error: unknown): string {
  const text = messageOf(error)
  if (/ECONNREFUSED/.test(text)) return 'ECONNREFUSED'
  if (/timeout|ETIMEDOUT/i.test(text)) return 'timeout'
  const status = /HTTP error \((\d{3})\)|status(?:Code)?["\s:]+(\d{3})/i.exec(text)
  return status ? `http_${status[1] ?? status[2]}` : 'unreachable'
}
