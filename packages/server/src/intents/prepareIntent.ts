/** Turns a validated intent request into the transaction it stands for on a configured network, and what it does. */
import type { IntentRequest } from '@bursar/core/api'
import type { EffectiveIntent, JsonValue } from '@bursar/core/chains'
import { BursarError } from '@bursar/core/errors'
import type { NetworkEntry, ServerContext } from '../context.ts'

export type PreparedIntent = {
  entry: NetworkEntry
  /** The chain's transaction (JSON), without sequence and fees; sized by the simulation before it is decided. */
  tx: JsonValue
  /** What the transaction does, read from its bytes; the fee is added once the simulation sized it. */
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
  const { tx, effective } = entry.adapter.prepare(agentId, request)
  return { entry, tx, effective }
}
