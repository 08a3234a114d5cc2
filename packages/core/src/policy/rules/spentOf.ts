/** How much of one asset the intent moves, fees and approvals included (0 when it moves none). */
import type { Evaluation } from './Evaluation.ts'

export function spentOf(e: Evaluation, asset: string): bigint {
  for (const spend of e.summary.spends) if (spend.asset === asset) return spend.amount
  return 0n
}
