/**
 * The version of an intent's transaction to send again and to outbid: the one a reorg took out if there is one (the
 * same bytes go back, whatever came after them), else the newest a node did not refuse.
 */
import type { IntentTransactionRow } from '@bursar/store'

export function newestVersion(versions: readonly IntentTransactionRow[]): IntentTransactionRow | undefined {
  return versions.find((v) => v.status === 'mined') ?? versions.filter((v) => v.status !== 'refused').at(-1)
}
