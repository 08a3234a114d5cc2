/** Turns a validated intent request into the transaction it stands for on a configured network, and what it does. */
import { type EvmCall, prepareEvmIntent } from '@bursar/chains/evm'
import type { IntentRequest } from '@bursar/core/api'
import type { EffectiveIntent } from '@bursar/core/chains'
import { BursarError } from '@bursar/core/errors'
import type { NetworkEntry, ServerContext } from '../context.ts'

export type PreparedIntent = {
  entry: NetworkEntry
  /** The transaction to sign, without nonce, gas and fees. */
  tx: EvmCall
  /** What the transaction does, read from its bytes; the fee is added once the simulation sized the gas. */
  effective: EffectiveIntent
}

export function networkEntry(ctx: ServerContext, name: string): NetworkEntry {
  const entry = ctx.networks.get(name)
  if (!entry) {
    throw new BursarError('UNKNOWN_NETWORK', `network "${name}" is not configured`, {
      details: { network: name, known: [...ctx.networks.keys()] },
    })
  }
  return entry
}

export function prepareIntent(ctx: ServerContext, agentId: string, request: IntentRequest): PreparedIntent {
  const entry = networkEntry(ctx, request.network)
  const { tx, effective } = prepareEvmIntent(entry.network, agentId, request)
  return { entry, tx, effective }
}
