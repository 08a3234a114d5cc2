/** Records what a decision allows to be signed, with its MAC and time limit (upgrade sealing only). */
import type { Sql } from '../Db.ts'

export async function sealIntentDecision(
  tx: Sql,
  params: { intentId: string; tx: unknown; maxFee: string; mac: string; expiresAt: Date },
): Promise<void> {
  await tx.query(
    'update intents set tx = $2, max_fee = $3, decision_mac = $4, decision_expires_at = $5 where id = $1',
    [params.intentId, JSON.stringify(params.tx), params.maxFee, params.mac, params.expiresAt],
  )
}
