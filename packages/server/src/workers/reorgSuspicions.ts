/**
 * A transaction missing from the block it was seen in, on one look, may be a node answering from behind the others
 * (a failover, a load balancer). Reopening a settled intent on that would write a false reorg into the audit chain,
 * so a miss counts only when a later look, at least `settleMs` after the first, still misses it. Per process: a
 * restart only starts the observation again.
 */
const firstMiss = new Map<string, number>()
// Sightings never confirmed (the transaction was found again) are forgotten after this long.
const forgetAfterMs = 10 * 60_000

export const reorgSuspicions = {
  /** Records a miss; true when it confirms one seen at least `settleMs` earlier (then forgotten). */
  confirm(intentId: string, now: Date, settleMs: number): boolean {
    const at = now.getTime()
    for (const [id, seen] of firstMiss) if (at - seen > forgetAfterMs) firstMiss.delete(id)
    const seen = firstMiss.get(intentId)
    if (seen === undefined) {
      firstMiss.set(intentId, at)
      return false
    }
    if (at - seen < settleMs) return false
    firstMiss.delete(intentId)
    return true
  },
  /** The transaction was found where it was: any earlier miss was a node behind. */
  clear(intentId: string): void {
    firstMiss.delete(intentId)
  },
}
