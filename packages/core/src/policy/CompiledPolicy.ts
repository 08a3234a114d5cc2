/** A validated policy with its lookup structures precomputed, so evaluation does no parsing and few allocations. */
import type { ApproverRole } from './approverEntry.ts'
import type { CedarEngine } from './cedar/CedarEngine.ts'
import type { PolicyDocument } from './policyDocumentSchema.ts'

/** Plain data (Sets, bigints, numbers, strings) plus the Cedar engine: safe to cache per policy version and to share. */
export type CompiledPolicy = {
  document: PolicyDocument
  chains: SetRule | undefined
  recipientDeny: SetRule | undefined
  recipientAllow: SetRule | undefined
  contractAllow: SetRule | undefined
  selectorDeny: SetRule | undefined
  selectorAllow: SetRule | undefined
  /** Functions the owner accepts although the engine cannot value them (contracts.allowUnvalued). */
  allowUnvalued: SetRule | undefined
  /** Every asset the policy names (limits, approvals, breaker signals): calls to them must be readable. */
  namedAssets: ReadonlySet<string>
  /** Fee caps per native asset (fees.perTransaction). */
  feeCaps: ReadonlyMap<string, { rule: string; max: bigint }>
  /** Fee budgets over rolling windows (fees.windows); `feeKey` is usageKey(asset, seconds), precomputed. */
  feeWindows: Array<{ rule: string; asset: string; seconds: number; max: bigint; feeKey: string }>
  /** Rule id of contracts.forbidUnlimitedApprovals when on. */
  forbidUnlimitedApprovals: string | undefined
  timeWindows: CompiledTimeWindows | undefined
  perTransaction: CompiledAmountLimit[]
  windows: CompiledWindowLimit[]
  /** Rule id of limits.onlyListedAssets and the assets that have an asset-specific limit. */
  onlyListedAssets: SetRule | undefined
  rateLimits: Array<{ rule: string; seconds: number; max: number }>
  approvals: CompiledApprovalRule[]
  cedar: CompiledCedar | undefined
  /** Some rule needs US dollar values. */
  needsUsd: boolean
  /** Distinct windows of the USD window limits and of the rate limits, for usageRequest. */
  usdWindows: number[]
  countWindows: number[]
  /** Some rule (approvals or Cedar) reads whether the recipient is known. */
  needsRecipientHistory: boolean
}

export type SetRule = { rule: string; values: ReadonlySet<string> }

export type CompiledTimeWindows = {
  rule: string
  /** Each window as half-open [start, end) intervals in minutes since Monday 00:00 UTC, wraps already split. */
  windows: Array<{ rule: string; intervals: number[] }>
}

export type CompiledAmountLimit = {
  rule: string
  /** Set with `max`: an asset limit in base units. */
  asset: string | undefined
  max: bigint | undefined
  /** Set instead: a USD limit in micro-dollars across every asset of the intent. */
  maxUsdMicros: bigint | undefined
}

export type CompiledWindowLimit = CompiledAmountLimit & {
  seconds: number
  /** usageKey(asset, seconds), precomputed. */
  spendKey: string | undefined
}

export type CompiledApprovalRule = {
  rule: string
  asset: string | undefined
  above: bigint | undefined
  aboveUsdMicros: bigint | undefined
  newRecipient: boolean
  selectors: ReadonlySet<string> | undefined
  /** The document's entries as written (see approverEntry): unknown ones stay, and match nobody. */
  approvers: string[]
  quorum: number
  /** The least role each approver must hold when deciding. */
  role: ApproverRole
  /** How long its request waits; undefined: the default (defaultApprovalWaitSeconds). */
  expiresAfterSeconds: number | undefined
  /** How long an approved intent is held before signing; 0: not at all. */
  timelockSeconds: number
}

export type CompiledCedar = {
  /** The engine that parsed the rules; evaluation asks the same one. */
  engine: CedarEngine
  /** Cedar policy id → policy text, with Bursar's implicit permit-all added when the set has no permit. */
  policies: Record<string, string>
  /** Cedar policy id → rule id and effect of the owner's policies. */
  rules: Record<string, { rule: string; effect: 'permit' | 'forbid' }>
  hasPermit: boolean
  /** Context fields (and usage sub-fields) the rules mention; only these are built, as the context dominates the cost. */
  fields: ReadonlySet<string>
}
