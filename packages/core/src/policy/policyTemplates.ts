/** Starting points owners copy and adapt (`bursar policy init --template <name>`); docs/policy-templates/ has them as JSON. */
import type { PolicyDocument } from './policyDocumentSchema.ts'
import { defiTrader } from './templates/defiTrader.ts'
import { payroll } from './templates/payroll.ts'
import { x402Buyer } from './templates/x402Buyer.ts'

export const policyTemplates: Record<string, PolicyDocument> = {
  'x402-buyer': x402Buyer,
  'defi-trader': defiTrader,
  payroll,
}
