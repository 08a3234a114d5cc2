/** How much of one asset the intent moves (0 when it moves none). */
import type { EffectiveIntent } from '../decodeIntent.ts'

export function spentOf(effective: EffectiveIntent, asset: string): bigint {
  for (const spend of effective.spends) if (spend.asset === asset) return spend.amount
  return 0n
}
