/** Every code a decision can carry, with what it means; docs/policy.md documents each (a test keeps them in step). */

export const policyReasonCodes = {
  // no policy at all (decided by the server before the engine runs)
  NO_POLICY: 'The agent has no policy yet; every intent is denied until an owner sets one.',
  // agent and breaker (short-circuit: nothing else is evaluated)
  AGENT_PAUSED: 'The agent is paused; resume it to submit intents.',
  AGENT_DELETED: 'The agent is deleted.',
  BREAKER_TRIPPED: 'A circuit breaker (the agent’s or the global one) is tripped.',
  // the intent itself
  INTENT_INCONSISTENT:
    'A transfer whose submitted asset, amount or recipient differ from what its to/value/data would actually move.',
  CALLDATA_MALFORMED:
    'The calldata starts with a known token function’s selector but its arguments cannot be decoded.',
  // allowlists and denylists
  CHAIN_NOT_ALLOWED: 'The network is not in chains.allow.',
  RECIPIENT_DENYLISTED: 'The recipient or the transaction target is in recipients.deny.',
  RECIPIENT_NOT_ALLOWLISTED: 'The recipient is not in recipients.allow.',
  CONTRACT_NOT_ALLOWED: 'The intent carries calldata for a contract not in contracts.allow.',
  SELECTOR_BLOCKED: 'The function called is in contracts.selectors.deny.',
  SELECTOR_NOT_ALLOWED: 'The function called is not in contracts.selectors.allow.',
  UNLIMITED_APPROVAL_FORBIDDEN:
    'A token approval of 2^96 - 1 or more, or an operator / approve-all grant, while contracts.forbidUnlimitedApprovals is on.',
  UNVALUED_CALL:
    'A function whose effect the engine cannot value, called on a configured token, an asset the policy names, or any contract under limits.onlyListedAssets, and not listed in contracts.allowUnvalued.',
  // time
  OUTSIDE_TIME_WINDOW: 'The intent was submitted outside every time window.',
  // amounts
  LIMIT_PER_TX_EXCEEDED: 'The intent moves more of an asset than its per-transaction limit.',
  FEE_CAP_EXCEEDED:
    'The most the network fee could cost (gas limit × max fee per gas) is above the fee cap: fees.perTransaction, or the network default.',
  FEE_WINDOW_EXCEEDED:
    'Network fees in the rolling window (paid, and the ceilings of transactions not yet mined) plus the most this one could cost exceed the fee budget: fees.windows.',
  LIMIT_PER_TX_USD_EXCEEDED: 'The intent moves more US dollar value than the per-transaction USD limit.',
  ASSET_NOT_LISTED: 'limits.onlyListedAssets is on and the asset has no asset-specific limit.',
  LIMIT_WINDOW_EXCEEDED:
    'Spend in the rolling window plus this intent exceeds the window limit of the asset.',
  LIMIT_WINDOW_USD_EXCEEDED:
    'US dollar value in the rolling window plus this intent exceeds the USD window limit.',
  PRICE_UNAVAILABLE: 'A USD rule applies but no price is known for an asset the intent moves.',
  RATE_LIMITED: 'The agent already submitted the maximum number of intents in the window.',
  // custom rules
  CEDAR_FORBID: 'A Cedar forbid rule matched.',
  CEDAR_NOT_PERMITTED: 'The Cedar rules contain permit rules and none matched.',
  CEDAR_ERROR:
    'A Cedar rule could not be evaluated for this intent (e.g. it reads a field that is absent); fails closed.',
  // approval triggers (outcome require_approval, unless something else denies)
  APPROVAL_AMOUNT_ABOVE: 'Approval trigger: the intent moves more of an asset than the rule’s `above`.',
  APPROVAL_USD_ABOVE: 'Approval trigger: the intent moves more US dollar value than the rule’s `aboveUsd`.',
  APPROVAL_NEW_RECIPIENT: 'Approval trigger: the agent has never paid this recipient.',
  APPROVAL_SELECTOR: 'Approval trigger: the intent calls one of the rule’s functions.',
} as const

export type PolicyReasonCode = keyof typeof policyReasonCodes
