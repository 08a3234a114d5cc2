/** Bounds on argon2id cost, so neither a caller nor a stored record can ask for nonsense or 100 GiB. */

import { BursarError, type ErrorCode } from '@bursar/core/errors'
import type { KdfCost } from './SealedSeed.ts'

const limits = {
  memoryKiB: [8, 1_048_576],
  iterations: [1, 64],
  parallelism: [1, 16],
} as const satisfies Record<keyof KdfCost, readonly [number, number]>

/** Returns the name of the first field out of bounds, or undefined. */
export function kdfCostProblem(cost: KdfCost): string | undefined {
  for (const [field, [min, max]] of Object.entries(limits) as [keyof KdfCost, readonly [number, number]][]) {
    const value = cost[field]
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      return `kdf.${field} must be an integer in [${min}, ${max}]`
    }
  }
  // Argon2 needs 8 KiB per lane.
  if (cost.memoryKiB < 8 * cost.parallelism) return 'kdf.memoryKiB must be at least 8 × kdf.parallelism'
  return undefined
}

export function assertKdfCost(cost: KdfCost, code: ErrorCode): void {
  const problem = kdfCostProblem(cost)
  if (problem) {
    throw new BursarError(code, `invalid argon2id parameters: ${problem}`, { details: { ...cost } })
  }
}
