/**
 * The version of an intent's transaction to send again and to outbid: the one a reorg took out while it has not been
 * sent again (the same bytes go back, never a later cancellation that lost to it), else the newest still pending
 * (neither refused by a node, nor replaced by the one that was mined).
 */
import type { IntentTransactionRow } from '@bursar/store'

export function newestVersion(versions: readonly IntentTransactionRow[]): IntentTransactionRow | undefined {
  return versions.find((v) => v.status === 'mined') ?? versions.filter((v) => v.status === 'pending').at(-1)
}
