/**
 * "A tripped breaker stops this agent": its own or the global one. The one place that says which breakers count, for
 * intake (readDecisionState), the executor's claims and the confirmer (which stops resending, not following).
 */

/** The condition on a `breakers` row aliased `alias`; `agentId` is a SQL expression (a column or a parameter). */
export function breakerTripped(agentId: string, alias = 'b'): string {
  return `${alias}.tripped and ${alias}.scope_key in ('global', ${agentId})`
}

/** A boolean expression: true when a tripped breaker stops the agent `agentId` (a SQL expression). */
export function agentHalted(agentId: string): string {
  return `exists (select 1 from breakers b where ${breakerTripped(agentId)})`
}
