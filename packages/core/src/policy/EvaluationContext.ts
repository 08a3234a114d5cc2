/** What the engine needs to know besides the policy, the intent and the usage: the clock, the agent and prices. */

/**
 * Price of one whole unit of `asset` in micro-dollars, and the asset's decimals; undefined when unknown.
 * Called synchronously during evaluation: serve it from memory (a cache the server refreshes), never from the network.
 */
export type PriceSource = (asset: string) => { usdMicrosPerUnit: bigint; decimals: number } | undefined

export type EvaluationContext = {
  now: Date
  agentStatus: 'active' | 'paused' | 'deleted'
  breaker: { tripped: boolean; scope?: 'agent' | 'global'; reason?: string }
  prices?: PriceSource
  /**
   * The network's fee cap per transaction (base units of its native asset) for policies that set none of their own.
   * Undefined: no cap but the policy's.
   */
  defaultFeeCap?: bigint
}
