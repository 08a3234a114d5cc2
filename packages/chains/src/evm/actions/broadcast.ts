/** Sends a signed transaction; safe to repeat, so a worker can rebroadcast after a crash. */
import { BursarError, type ErrorCode } from '@bursar/core/errors'
import type { EvmNetwork } from '@bursar/core/networks'
import { type Hash, type Hex, keccak256 } from 'viem'
import type { EvmClient } from '../createEvmClient.ts'
import { nodeMessage } from '../errors/nodeMessage.ts'
import { isTransportError, rpcUnavailableError } from '../errors/rpcUnavailableError.ts'
import { getTransaction } from './getTransaction.ts'

type Rejection = { reason: string; code: ErrorCode; retryable: boolean }

// Nodes word the same rejection differently (geth, erigon, nethermind, reth, anvil); first match wins.
const rejections: Array<[RegExp, Rejection]> = [
  [
    /already known|known transaction|already imported|alreadyknown|already exists|already in (the )?(mem)?pool/i,
    { reason: 'already_known', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [
    /nonce too low|nonce has already been used|oldnonce/i,
    { reason: 'sequence_too_low', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [/nonce too high|nonce ?gap/i, { reason: 'sequence_too_high', code: 'VALIDATION_FAILED', retryable: true }],
  [
    /insufficient ?funds|insufficient balance/i,
    { reason: 'insufficient_funds', code: 'INSUFFICIENT_FUNDS', retryable: false },
  ],
  [
    /replacement transaction underpriced|replacement.*underpriced/i,
    { reason: 'replacement_underpriced', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [
    /intrinsic gas too low|gas too low|intrinsicgas/i,
    { reason: 'intrinsic_gas_too_low', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [
    /exceeds block gas limit|gas limit reached/i,
    { reason: 'gas_limit_exceeded', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [
    /less than block base fee|underpriced|fee too low|feetoolow/i,
    { reason: 'fee_too_low', code: 'VALIDATION_FAILED', retryable: false },
  ],
  [
    /txpool is full|transaction pool is full|pool limit/i,
    { reason: 'txpool_full', code: 'RPC_UNAVAILABLE', retryable: true },
  ],
  [/chain ?id/i, { reason: 'wrong_chain', code: 'VALIDATION_FAILED', retryable: false }],
  [
    /invalid sender|invalid signature/i,
    { reason: 'invalid_signature', code: 'VALIDATION_FAILED', retryable: false },
  ],
]

/**
 * Resolves with the transaction hash when the node accepted the transaction now or earlier: "already
 * known", or "nonce too low" while this very transaction is on chain. Throws RPC_UNAVAILABLE (retryable)
 * when the node could not be reached, and a BursarError with `details.reason` when the node refused it.
 */
export async function broadcast(client: EvmClient, signedTx: Hex): Promise<Hash> {
  const hash = keccak256(signedTx)
  try {
    return await client.publicClient.request({ method: 'eth_sendRawTransaction', params: [signedTx] })
  } catch (error) {
    if (isTransportError(error)) throw rpcUnavailableError(client.network, error)
    const message = nodeMessage(error)
    const rejection = rejections.find(([pattern]) => pattern.test(message))?.[1]
    if (rejection?.reason === 'already_known') return hash
    // The nonce is used: by this transaction (an earlier broadcast landed) or by another one.
    if (rejection?.reason === 'sequence_too_low' && (await getTransaction(client, hash)) !== null) return hash
    throw rejectionError(client.network, hash, message, rejection)
  }
}

function rejectionError(network: EvmNetwork, hash: Hash, message: string, rejection: Rejection | undefined) {
  // An answer we do not recognise is treated as passing: the node may still have forwarded the transaction, and
  // sending the same signed bytes again is harmless, while giving up would free a nonce that may be used.
  const { reason, code, retryable } = rejection ?? {
    reason: 'rejected',
    code: 'VALIDATION_FAILED',
    retryable: true,
  }
  return new BursarError(code, `Network ${network.name} rejected transaction ${hash}: ${message}`, {
    details: { network: network.name, hash, retryable, reason },
  })
}
