/** Every route Bursar serves, in one list: registration, the OpenAPI document and the authorization tests read it. */
import type { Route } from '../http/Route.ts'
import { agentRoutes } from './agents.ts'
import { approvalRoutes } from './approvals.ts'
import { auditRoutes } from './audit.ts'
import { authRoutes } from './auth.ts'
import { breakerRoutes } from './breakers.ts'
import { eventRoutes } from './events.ts'
import { healthRoutes } from './health.ts'
import { intentRoutes } from './intents.ts'
import { openApiRoute } from './openapi.ts'
import { organisationRoutes } from './organisation.ts'
import { passkeyRoutes } from './passkeys.ts'
import { policyRoutes } from './policies.ts'
import { walletRoutes } from './wallets.ts'
import { webhookRoutes } from './webhooks.ts'

const apiRoutes: readonly Route[] = [
  ...healthRoutes,
  ...authRoutes,
  ...passkeyRoutes,
  ...organisationRoutes,
  ...intentRoutes,
  ...approvalRoutes,
  ...walletRoutes,
  ...agentRoutes,
  ...policyRoutes,
  ...breakerRoutes,
  ...auditRoutes,
  ...eventRoutes,
  ...webhookRoutes,
]

export const routeTable: readonly Route[] = [...apiRoutes, openApiRoute(apiRoutes)]
