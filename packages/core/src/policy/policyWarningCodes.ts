/** Every warning validatePolicy can give, with what it means; docs/policy.md documents each (a test keeps them in step). */

export const policyWarningCodes = {
  EMPTY_ALLOWLIST:
    'An empty allowlist (or empty list of time windows) denies everything of its kind; omit it to allow all.',
  ALLOW_AND_DENY: 'An address or function is both allowed and denied; the deny wins.',
  DUPLICATE_ENTRY: 'A list names the same value twice.',
  TIME_WINDOW_EMPTY: 'A time window starts when it ends, so it never matches.',
  RATE_LIMIT_ZERO: 'A rate limit of 0 denies every intent.',
  WINDOW_LIMIT_BELOW_PER_TX: 'A window limit is below the per-transaction limit of the same asset (or USD).',
  WINDOW_LIMIT_SHADOWED: 'A shorter window has a limit as high as a longer one, so it never binds.',
  APPROVAL_NEVER_TRIGGERS:
    'An approval threshold is at or above the per-transaction limit, so it never triggers.',
  APPROVER_UNKNOWN:
    'An approver entry names neither an account nor a role Bursar knows (or names an agent): it matches nobody.',
  NETWORK_NOT_ALLOWED: 'A rule names an asset on a network the chain allowlist excludes.',
  TOKEN_CALLS_BLOCKED: 'Token limits are set but the contract rules block every call that could use them.',
  CEDAR_SAMPLE_ERROR:
    'A Cedar rule errors on a sample intent (often a misspelt field); when it errors on a real one, it denies.',
} as const

export type PolicyWarningCode = keyof typeof policyWarningCodes
