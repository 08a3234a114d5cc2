/** The reason a USD rule gives when the intent moves an asset nobody priced: USD rules fail closed. */
import type { Reason } from '../Decision.ts'
import type { Evaluation } from './Evaluation.ts'

export function priceUnavailable(e: Evaluation, rule: string): Reason {
  return {
    code: 'PRICE_UNAVAILABLE',
    rule,
    message: `No USD price for ${e.unpriced}, so the USD rule cannot be checked`,
    asset: e.unpriced as string,
  }
}
