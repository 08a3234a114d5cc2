/** What an operation needs to know of who asked: the organisation it acts in and who the audit log names. */
import type { Actor } from './authenticate.ts'

export type Caller = { orgId: string; actor: Actor }

/** The global halt is the instance admin's, who need not act in an organisation. */
export type OptionalOrgCaller = { orgId: string | null; actor: Actor }

/** The caller of a route open to people outside an organisation (the instance admin's). */
export function callerOf(principal: { type: string; orgId?: string; actor: Actor }): OptionalOrgCaller {
  return { orgId: principal.type === 'member' ? (principal.orgId ?? null) : null, actor: principal.actor }
}
