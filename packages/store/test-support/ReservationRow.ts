/** Test support: a spend reservation row as stored (amounts as decimal strings). */
export type ReservationRow = {
  id: number
  intent_id: string
  agent_id: string
  asset: string
  amount: string
  usd_micros: string | null
  status: 'reserved' | 'committed' | 'released'
  kind: 'spend' | 'fee'
  created_at: Date
  updated_at: Date
}
