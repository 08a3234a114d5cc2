/** Test support: every webhook row as stored, sealed secrets included. */
import type { Row, Sql } from '../src/Db.ts'

export type WebhookRows = { endpoints: Row[]; deliveries: Row[]; attempts: Row[] }

/**
 * Every column of every row of webhook_endpoints, webhook_deliveries and webhook_attempts, for tests that check what
 * is stored (a secret only ever sealed, never in the clear).
 *
 * @example expect(JSON.stringify(await listWebhookRows(db))).not.toContain(secret)
 */
export async function listWebhookRows(sql: Sql): Promise<WebhookRows> {
  return {
    endpoints: await sql.query('select * from webhook_endpoints order by id'),
    deliveries: await sql.query('select * from webhook_deliveries order by id'),
    attempts: await sql.query('select * from webhook_attempts order by delivery_id, attempt'),
  }
}
