/** Every recorded version of the given intents' transactions, oldest first per intent. */
import type { Sql } from '../Db.ts'
import type { IntentTransactionRow } from './IntentTransactionRow.ts'

/** Intents with one transaction only have no rows here: their intent row holds it. */
export async function listIntentTransactions(
  sql: Sql,
  intentIds: readonly string[],
): Promise<IntentTransactionRow[]> {
  if (intentIds.length === 0) return []
  return sql.query<IntentTransactionRow>(
    'select * from intent_transactions where intent_id = any($1::text[]) order by intent_id, version',
    [intentIds],
  )
}
