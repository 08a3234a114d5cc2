/**
 * The one statement shape that writes intent events. `rows` is a `values (…)` list or a `select` giving, in order:
 * intent_id, from_status, to_status, data.
 */
export function insertIntentEventRows(rows: string): string {
  return `insert into intent_events (intent_id, from_status, to_status, data) ${rows}`
}
