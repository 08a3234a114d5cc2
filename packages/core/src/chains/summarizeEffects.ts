/** Views of an intent's effects that the engine, the store and the API share: what it spends, who gains, the headline. */
import type { Effect, EffectiveIntent } from './EffectiveIntent.ts'

export type EffectSummary = {
  /** Non-zero amounts per asset (transfers, approvals and fees added up), in order of first appearance. */
  spends: ReadonlyArray<{ asset: string; amount: bigint }>
  /**
   * Every party that receives something or is granted something: each effect's counterparty, and the target of a call
   * the adapter could not fully read (what that contract does with the call is beyond the engine, so it counts as paid).
   */
  parties: readonly string[]
  /**
   * The effect a person reads first: native value sent (always real value, whatever a token's calldata claims), else
   * the first transfer or approval that moves something, else the first one. Rules look at every effect, not this.
   */
  primary: { asset: string; amount: bigint; recipient: string }
}

/**
 * @example summarizeEffects(intent).spends // [{ asset: 'anvil:0x…usdc', amount: 5n }, { asset: 'anvil:native', amount: 42_000n }]
 */
export function summarizeEffects(intent: EffectiveIntent): EffectSummary {
  const totals = new Map<string, bigint>()
  const parties: string[] = []
  let primary: Effect | undefined
  let firstNonFee: Effect | undefined
  const native = `${intent.network}:native`
  for (const effect of intent.effects) {
    if (effect.amount > 0n) totals.set(effect.asset, (totals.get(effect.asset) ?? 0n) + effect.amount)
    if (effect.kind === 'fee') continue
    firstNonFee ??= effect
    if (
      effect.amount > 0n &&
      (primary === undefined || (effect.asset === native && primary.asset !== native))
    ) {
      primary = effect
    }
    if (effect.to !== undefined && !parties.includes(effect.to)) parties.push(effect.to)
  }
  if (intent.call !== undefined && intent.unvalued.length > 0 && !parties.includes(intent.target)) {
    parties.push(intent.target)
  }
  const headline = primary ?? firstNonFee
  return {
    spends: [...totals].map(([asset, amount]) => ({ asset, amount })),
    parties,
    primary:
      headline === undefined
        ? { asset: `${intent.network}:native`, amount: 0n, recipient: intent.target }
        : { asset: headline.asset, amount: headline.amount, recipient: headline.to ?? intent.target },
  }
}
