/** An organisation as stored: it owns agents, policies, keys and its view of the audit log (ADR 0007). */
export type OrganisationRow = {
  id: string
  name: string
  created_at: Date
}
