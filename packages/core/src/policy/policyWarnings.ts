/** Contradictions and dead rules in a valid policy: not errors, but almost certainly not what the owner meant. */

import { approverEntry } from './approverEntry.ts'
import type { CompiledPolicy } from './CompiledPolicy.ts'
import { cedarSampleWarnings } from './cedar/cedarSampleWarnings.ts'
import { minutesOfDay } from './compileTimeWindow.ts'
import type { PolicyWarning } from './PolicyWarning.ts'
import { parseDuration } from './parseDuration.ts'
import type { PolicyWarningCode } from './policyWarningCodes.ts'
import { parseUsd } from './usd.ts'

/** transfer, approve, transferFrom: the ERC-20 functions through which a token limit can apply. */
const tokenSelectors = ['0xa9059cbb', '0x095ea7b3', '0x23b872dd']

export function policyWarnings(policy: CompiledPolicy): PolicyWarning[] {
  const warnings: PolicyWarning[] = []
  const warn = (path: string, code: PolicyWarningCode, message: string): void => {
    warnings.push({ path, code, message })
  }
  const document = policy.document
  const newRecipientRule = document.approvals?.rules.findIndex((rule) => rule.newRecipient === true) ?? -1

  // Empty allowlists deny everything of their kind; owners usually meant "no restriction", which is omitting the field.
  const emptyLists: Array<[unknown[] | undefined, string, string]> = [
    [document.chains?.allow, '$.chains.allow', 'every network'],
    [document.recipients?.allow, '$.recipients.allow', 'every recipient'],
    [document.contracts?.allow, '$.contracts.allow', 'every intent with calldata'],
    [document.contracts?.selectors?.allow, '$.contracts.selectors.allow', 'every intent with calldata'],
    [document.timeWindows, '$.timeWindows', 'every intent at every time'],
  ]
  for (const [list, path, what] of emptyLists) {
    if (list === undefined || list.length > 0) continue
    const hint =
      path === '$.recipients.allow' && newRecipientRule >= 0
        ? ` (yet $.approvals.rules[${newRecipientRule}] expects new recipients)`
        : ''
    warn(path, 'EMPTY_ALLOWLIST', `An empty list denies ${what}${hint}; omit the field to allow all`)
  }

  duplicates(document.chains?.allow, '$.chains.allow', warn)
  duplicates(document.recipients?.allow?.map(lower), '$.recipients.allow', warn)
  duplicates(document.recipients?.deny?.map(lower), '$.recipients.deny', warn)
  duplicates(document.contracts?.allow?.map(lower), '$.contracts.allow', warn)

  const recipientDeny = policy.recipientDeny?.values
  document.recipients?.allow?.forEach((address, index) => {
    if (recipientDeny?.has(address.toLowerCase())) {
      warn(
        `$.recipients.allow[${index}]`,
        'ALLOW_AND_DENY',
        `${address} is also denylisted; the denylist wins`,
      )
    }
  })
  if (policy.selectorAllow !== undefined && policy.selectorDeny !== undefined) {
    for (const selector of policy.selectorAllow.values) {
      if (policy.selectorDeny.values.has(selector)) {
        warn('$.contracts.selectors.allow', 'ALLOW_AND_DENY', `${selector} is also blocked; the block wins`)
      }
    }
  }

  document.timeWindows?.forEach((window, index) => {
    if (minutesOfDay(window.start) === minutesOfDay(window.end)) {
      warn(`$.timeWindows[${index}]`, 'TIME_WINDOW_EMPTY', 'start equals end, so this window never matches')
    }
  })

  document.rateLimits?.forEach((limit, index) => {
    if (limit.max === 0) warn(`$.rateLimits[${index}].max`, 'RATE_LIMIT_ZERO', 'max 0 denies every intent')
  })

  limitWarnings(policy, warn)
  approverWarnings(policy, warn)
  networkWarnings(policy, warn)
  tokenWarnings(policy, warn)
  for (const warning of cedarSampleWarnings(policy)) warnings.push(warning)
  return warnings
}

type Warn = (path: string, code: PolicyWarningCode, message: string) => void

function lower(value: string): string {
  return value.toLowerCase()
}

function duplicates(values: string[] | undefined, path: string, warn: Warn): void {
  const seen = new Set<string>()
  values?.forEach((value, index) => {
    if (seen.has(value)) warn(`${path}[${index}]`, 'DUPLICATE_ENTRY', `${value} is listed twice`)
    seen.add(value)
  })
}

/** A window limit lower than the per-transaction limit, or lower than a shorter window, makes the other one dead. */
function limitWarnings(policy: CompiledPolicy, warn: Warn): void {
  const limits = policy.document.limits
  const perTransaction = limits?.perTransaction ?? []
  const windows = limits?.windows ?? []
  const perTxMax = (asset: string | undefined) => {
    const entry = perTransaction.find((limit) =>
      asset === undefined
        ? limit.maxUsd !== undefined
        : limit.asset?.toLowerCase() === asset && limit.max !== undefined,
    )
    if (entry === undefined) return undefined
    return asset === undefined ? parseUsd(entry.maxUsd as string) : BigInt(entry.max as string)
  }
  const windowMax = (limit: (typeof windows)[number]) =>
    limit.max !== undefined
      ? BigInt(limit.max)
      : limit.maxUsd !== undefined
        ? parseUsd(limit.maxUsd)
        : undefined
  const windowAsset = (limit: (typeof windows)[number]) =>
    limit.max !== undefined ? limit.asset?.toLowerCase() : undefined

  windows.forEach((limit, index) => {
    const max = windowMax(limit)
    const asset = windowAsset(limit)
    const perTx = perTxMax(asset)
    const what = asset ?? 'USD'
    if (max !== undefined && perTx !== undefined && max < perTx) {
      warn(
        `$.limits.windows[${index}].${asset === undefined ? 'maxUsd' : 'max'}`,
        'WINDOW_LIMIT_BELOW_PER_TX',
        `The ${limit.window} limit for ${what} is below its per-transaction limit, which can therefore never be reached`,
      )
    }
    windows.forEach((other, otherIndex) => {
      const otherMax = windowMax(other)
      if (otherIndex === index || max === undefined || otherMax === undefined || windowAsset(other) !== asset)
        return
      if (parseDuration(limit.window) < parseDuration(other.window) && max >= otherMax) {
        warn(
          `$.limits.windows[${index}]`,
          'WINDOW_LIMIT_SHADOWED',
          `The ${limit.window} limit for ${what} never binds: the longer ${other.window} limit ($.limits.windows[${otherIndex}]) is as low or lower`,
        )
      }
    })
  })

  policy.document.approvals?.rules.forEach((rule, index) => {
    const path = `$.approvals.rules[${index}]`
    const assetMax = rule.asset === undefined ? undefined : perTxMax(rule.asset.toLowerCase())
    if (rule.above !== undefined && assetMax !== undefined && BigInt(rule.above) >= assetMax) {
      warn(
        `${path}.above`,
        'APPROVAL_NEVER_TRIGGERS',
        'Amounts above it are denied by the per-transaction limit',
      )
    }
    const usdMax = perTxMax(undefined)
    if (rule.aboveUsd !== undefined && usdMax !== undefined && parseUsd(rule.aboveUsd) >= usdMax) {
      warn(
        `${path}.aboveUsd`,
        'APPROVAL_NEVER_TRIGGERS',
        'Values above it are denied by the per-transaction USD limit',
      )
    }
  })
}

/** An approver entry that names no account and no role matches nobody: a quorum counting on it may never be met. */
function approverWarnings(policy: CompiledPolicy, warn: Warn): void {
  const approvals = policy.document.approvals
  const lists: Array<[string[] | undefined, string]> = [
    [approvals?.approvers, '$.approvals.approvers'],
    ...(approvals?.rules ?? []).map((rule, index): [string[] | undefined, string] => [
      rule.approvers,
      `$.approvals.rules[${index}].approvers`,
    ]),
  ]
  for (const [list, path] of lists) {
    list?.forEach((entry, index) => {
      if (approverEntry(entry).kind !== 'unknown') return
      const why = entry.startsWith('agt_')
        ? 'an agent can never approve'
        : 'it is neither an account id ("acc_…") nor "role:approver" or "role:admin"'
      warn(`${path}[${index}]`, 'APPROVER_UNKNOWN', `"${entry}" matches nobody: ${why}`)
    })
  }
}

/** Asset keys on networks the chain allowlist excludes name rules that can never apply. */
function networkWarnings(policy: CompiledPolicy, warn: Warn): void {
  const chains = policy.chains?.values
  if (chains === undefined) return
  const check = (asset: string | undefined, path: string): void => {
    const network = asset?.split(':')[0]
    if (network !== undefined && !chains.has(network)) {
      warn(
        path,
        'NETWORK_NOT_ALLOWED',
        `Network "${network}" is not in chains.allow, so this rule never applies`,
      )
    }
  }
  const limits = policy.document.limits
  for (const [index, limit] of (limits?.perTransaction ?? []).entries()) {
    check(limit.asset, `$.limits.perTransaction[${index}].asset`)
  }
  for (const [index, limit] of (limits?.windows ?? []).entries())
    check(limit.asset, `$.limits.windows[${index}].asset`)
  for (const [index, rule] of (policy.document.approvals?.rules ?? []).entries()) {
    check(rule.asset, `$.approvals.rules[${index}].asset`)
  }
}

/** Token limits apply through ERC-20 calls, which carry calldata: contract rules that block them all make the limits moot. */
function tokenWarnings(policy: CompiledPolicy, warn: Warn): void {
  const tokens = new Set<string>()
  for (const limit of [...policy.perTransaction, ...policy.windows]) {
    if (limit.asset !== undefined && !limit.asset.endsWith(':native')) tokens.add(limit.asset)
  }
  for (const asset of tokens) {
    const token = asset.slice(asset.indexOf(':') + 1)
    if (policy.contractAllow !== undefined && !policy.contractAllow.values.has(token)) {
      warn(
        '$.contracts.allow',
        'TOKEN_CALLS_BLOCKED',
        `${asset} has limits but the token is not an allowed contract`,
      )
    }
  }
  const usable = tokenSelectors.filter(
    (selector) =>
      (policy.selectorAllow === undefined || policy.selectorAllow.values.has(selector)) &&
      !policy.selectorDeny?.values.has(selector),
  )
  if (tokens.size > 0 && usable.length === 0) {
    warn(
      '$.contracts.selectors',
      'TOKEN_CALLS_BLOCKED',
      'Token limits are set but transfer, approve and transferFrom are all blocked or not allowed',
    )
  }
}
