/** Checks what the schema cannot (cross-field rules, selectors, Cedar) and precomputes the lookup structures. */
import { toFunctionSelector } from 'viem'
import { maxApprovalWaitSeconds } from './approvalWait.ts'
import { approverEntry } from './approverEntry.ts'
import type {
  CompiledAmountLimit,
  CompiledApprovalRule,
  CompiledPolicy,
  CompiledWindowLimit,
  SetRule,
} from './CompiledPolicy.ts'
import type { CedarEngine } from './cedar/CedarEngine.ts'
import { compileCedar } from './cedar/compileCedar.ts'
import { compileTimeWindow, minutesOfDay } from './compileTimeWindow.ts'
import type { PolicyIssue } from './PolicyIssue.ts'
import { parseDuration } from './parseDuration.ts'
import type { PolicyDocument } from './policyDocumentSchema.ts'
import { usageKey } from './Usage.ts'
import { parseUsd } from './usd.ts'

/** Returns the compiled policy, or undefined after appending to `issues`. */
export function compilePolicy(
  document: PolicyDocument,
  issues: PolicyIssue[],
  cedarEngine: CedarEngine | undefined,
): CompiledPolicy | undefined {
  const before = issues.length
  checkIds(document, issues)
  const { chains, recipients, contracts, limits, approvals } = document

  const perTransaction = (limits?.perTransaction ?? []).map((limit, index) =>
    amountLimit(limit, `$.limits.perTransaction[${index}]`, issues),
  )
  const windows = (limits?.windows ?? []).map((limit, index): CompiledWindowLimit => {
    const compiled = amountLimit(limit, `$.limits.windows[${index}]`, issues)
    const seconds = parseDuration(limit.window)
    const spendKey = compiled.asset === undefined ? undefined : usageKey(compiled.asset, seconds)
    return { ...compiled, seconds, spendKey }
  })
  const listedAssets = new Set<string>()
  for (const limit of [...perTransaction, ...windows]) {
    if (limit.asset !== undefined) listedAssets.add(limit.asset)
  }

  const timeWindows =
    document.timeWindows === undefined
      ? undefined
      : {
          rule: '$.timeWindows',
          windows: document.timeWindows.map((window, index) => {
            const path = `$.timeWindows[${index}]`
            if (minutesOfDay(window.start) >= 1440) {
              issues.push({ path: `${path}.start`, message: 'must be before 24:00' })
            }
            return { rule: ruleId(window.id, path), intervals: compileTimeWindow(window) }
          }),
        }

  const rateLimits = (document.rateLimits ?? []).map((limit, index) => ({
    rule: ruleId(limit.id, `$.rateLimits[${index}]`),
    seconds: parseDuration(limit.window),
    max: limit.max,
  }))

  const sectionWait = approvalWait(approvals?.expiresAfter, '$.approvals.expiresAfter', issues)
  const approvalRules = (approvals?.rules ?? []).map((rule, index): CompiledApprovalRule => {
    const path = `$.approvals.rules[${index}]`
    if (rule.above !== undefined && rule.asset === undefined) {
      issues.push({
        path: `${path}.asset`,
        message: 'is required with "above" (amounts are in base units of one asset)',
      })
    }
    if (rule.asset !== undefined && rule.above === undefined) {
      issues.push({ path: `${path}.above`, message: 'is required with "asset"' })
    }
    if (
      rule.above === undefined &&
      rule.aboveUsd === undefined &&
      !rule.newRecipient &&
      rule.selectors === undefined
    ) {
      issues.push({
        path,
        message: 'needs at least one condition: above, aboveUsd, newRecipient or selectors',
      })
    }
    const approvers = rule.approvers ?? approvals?.approvers
    const timelock = rule.timelock ?? approvals?.timelock
    const quorum = rule.quorum ?? approvals?.quorum ?? 1
    if (approvers === undefined) {
      issues.push({ path: `${path}.approvers`, message: 'is required when approvals.approvers is not set' })
    } else if (new Set(approvers).size !== approvers.length) {
      issues.push({ path: `${path}.approvers`, message: 'must not repeat an approver' })
    } else if (
      // A role entry stands for however many members hold the role: only a list of names can be counted here.
      !approvers.some((entry) => approverEntry(entry).kind === 'role') &&
      quorum > approvers.length
    ) {
      const quorumPath = rule.quorum === undefined ? '$.approvals.quorum' : `${path}.quorum`
      issues.push({
        path: quorumPath,
        message: `quorum ${quorum} is more than the ${approvers.length} approvers of ${path}`,
      })
    }
    return {
      rule: ruleId(rule.id, path),
      asset: rule.asset?.toLowerCase(),
      above: rule.above === undefined ? undefined : BigInt(rule.above),
      aboveUsdMicros: rule.aboveUsd === undefined ? undefined : parseUsd(rule.aboveUsd),
      newRecipient: rule.newRecipient === true,
      selectors:
        rule.selectors === undefined ? undefined : selectorSet(rule.selectors, `${path}.selectors`, issues),
      approvers: approvers ?? [],
      quorum,
      role: rule.role ?? approvals?.role ?? 'approver',
      expiresAfterSeconds:
        rule.expiresAfter === undefined
          ? sectionWait
          : approvalWait(rule.expiresAfter, `${path}.expiresAfter`, issues),
      timelockSeconds: timelock === undefined ? 0 : parseDuration(timelock),
    }
  })
  if (
    approvals?.approvers !== undefined &&
    new Set(approvals.approvers).size !== approvals.approvers.length
  ) {
    issues.push({ path: '$.approvals.approvers', message: 'must not repeat an approver' })
  }

  const selectors = contracts?.selectors
  const selectorDeny =
    selectors?.deny === undefined
      ? undefined
      : {
          rule: '$.contracts.selectors.deny',
          values: selectorSet(selectors.deny, '$.contracts.selectors.deny', issues),
        }
  const selectorAllow =
    selectors?.allow === undefined
      ? undefined
      : {
          rule: '$.contracts.selectors.allow',
          values: selectorSet(selectors.allow, '$.contracts.selectors.allow', issues),
        }
  const allowUnvalued =
    contracts?.allowUnvalued === undefined
      ? undefined
      : {
          rule: '$.contracts.allowUnvalued',
          values: selectorSet(contracts.allowUnvalued, '$.contracts.allowUnvalued', issues),
        }
  const feeCaps = new Map<string, { rule: string; max: bigint }>()
  document.fees?.perTransaction?.forEach((cap, index) => {
    const path = `$.fees.perTransaction[${index}]`
    const asset = cap.asset.toLowerCase()
    if (!feeAsset(asset, path, issues)) {
      // reported
    } else if (feeCaps.has(asset)) {
      issues.push({ path: `${path}.asset`, message: `${asset} already has a fee cap` })
    } else {
      feeCaps.set(asset, { rule: ruleId(cap.id, path), max: BigInt(cap.max) })
    }
  })
  const feeWindows: CompiledPolicy['feeWindows'] = []
  document.fees?.windows?.forEach((budget, index) => {
    const path = `$.fees.windows[${index}]`
    const asset = budget.asset.toLowerCase()
    if (!feeAsset(asset, path, issues)) return
    const seconds = parseDuration(budget.window)
    const rule = ruleId(budget.id, path)
    feeWindows.push({ rule, asset, seconds, max: BigInt(budget.max), feeKey: usageKey(asset, seconds) })
  })
  const namedAssets = new Set(listedAssets)
  for (const rule of approvals?.rules ?? [])
    if (rule.asset !== undefined) namedAssets.add(rule.asset.toLowerCase())
  for (const rule of document.breaker?.spendVelocity ?? []) namedAssets.add(rule.asset.toLowerCase())
  const cedar = document.cedar === undefined ? undefined : compileCedar(document.cedar, issues, cedarEngine)
  if (issues.length > before) return undefined

  const usdWindows = [
    ...new Set(windows.filter((limit) => limit.maxUsdMicros !== undefined).map((limit) => limit.seconds)),
  ]
  return {
    document,
    chains: chains === undefined ? undefined : { rule: '$.chains.allow', values: new Set(chains.allow) },
    recipientDeny: addressSet(recipients?.deny, '$.recipients.deny'),
    recipientAllow: addressSet(recipients?.allow, '$.recipients.allow'),
    contractAllow: addressSet(contracts?.allow, '$.contracts.allow'),
    selectorDeny,
    selectorAllow,
    allowUnvalued,
    namedAssets,
    feeCaps,
    feeWindows,
    forbidUnlimitedApprovals:
      contracts?.forbidUnlimitedApprovals === true ? '$.contracts.forbidUnlimitedApprovals' : undefined,
    timeWindows,
    perTransaction,
    windows,
    onlyListedAssets:
      limits?.onlyListedAssets === true
        ? { rule: '$.limits.onlyListedAssets', values: listedAssets }
        : undefined,
    rateLimits,
    approvals: approvalRules,
    cedar,
    needsUsd:
      perTransaction.some((limit) => limit.maxUsdMicros !== undefined) ||
      usdWindows.length > 0 ||
      approvalRules.some((rule) => rule.aboveUsdMicros !== undefined),
    usdWindows,
    countWindows: [...new Set(rateLimits.map((limit) => limit.seconds))],
    needsRecipientHistory:
      approvalRules.some((rule) => rule.newRecipient) || cedar?.fields.has('recipientKnown') === true,
  }
}

/** Seconds a request may wait as the document sets it (undefined: the default), or an issue beyond the bound. */
function approvalWait(value: string | undefined, path: string, issues: PolicyIssue[]): number | undefined {
  if (value === undefined) return undefined
  const seconds = parseDuration(value)
  if (seconds > maxApprovalWaitSeconds) {
    issues.push({ path, message: 'must be at most "7d": a request waits a week at most' })
  }
  return seconds
}

/** Fees are paid in a network's native asset: a fee rule on anything else is a mistake, reported at its asset. */
function feeAsset(asset: string, path: string, issues: PolicyIssue[]): boolean {
  if (asset.endsWith(':native')) return true
  issues.push({
    path: `${path}.asset`,
    message: 'fees are paid in a network\'s native asset: "<network>:native"',
  })
  return false
}

function ruleId(id: string | undefined, path: string): string {
  return id ?? path
}

function amountLimit(
  limit: {
    id?: string | undefined
    asset?: string | undefined
    max?: string | undefined
    maxUsd?: string | undefined
  },
  path: string,
  issues: PolicyIssue[],
): CompiledAmountLimit {
  if (limit.max !== undefined && limit.asset === undefined) {
    issues.push({
      path: `${path}.asset`,
      message: 'is required with "max" (amounts are in base units of one asset)',
    })
  }
  if (limit.asset !== undefined && limit.max === undefined && limit.maxUsd === undefined) {
    issues.push({ path: `${path}.max`, message: 'is required with "asset"' })
  }
  if (limit.maxUsd !== undefined && limit.asset !== undefined) {
    issues.push({
      path: `${path}.asset`,
      message:
        'is not allowed with "maxUsd": USD limits apply to the value of every asset and chain together',
    })
  }
  if (limit.max === undefined && limit.maxUsd === undefined) {
    issues.push({ path, message: 'needs "max" (with "asset") or "maxUsd"' })
  }
  return {
    rule: ruleId(limit.id, path),
    asset: limit.max === undefined ? undefined : limit.asset?.toLowerCase(),
    max: limit.max === undefined ? undefined : BigInt(limit.max),
    maxUsdMicros: limit.maxUsd === undefined ? undefined : parseUsd(limit.maxUsd),
  }
}

function addressSet(addresses: string[] | undefined, rule: string): SetRule | undefined {
  if (addresses === undefined) return undefined
  return { rule, values: new Set(addresses.map((address) => address.toLowerCase())) }
}

/** Selectors are stored as lowercase 4-byte hex; signatures ("transfer(address,uint256)") are hashed here. */
function selectorSet(selectors: string[], path: string, issues: PolicyIssue[]): Set<string> {
  const values = new Set<string>()
  selectors.forEach((selector, index) => {
    if (selector.startsWith('0x')) {
      values.add(selector.toLowerCase())
      return
    }
    // Solidity aliases (uint, int, byte, fixed) would hash to a different selector than the canonical name, and
    // the rule would silently never match: reject them so the owner writes uint256 and friends.
    const alias = /[(,\s](uint|int|fixed|ufixed|byte)(\[[0-9]*\])*\s*[,)]/.exec(selector)
    if (alias) {
      issues.push({
        path: `${path}[${index}]`,
        message: `"${alias[1]}" is an alias: write the canonical type (e.g. ${alias[1] === 'byte' ? 'bytes1' : `${alias[1]}256`}) or the 4-byte selector`,
      })
      return
    }
    try {
      values.add(toFunctionSelector(selector).toLowerCase())
    } catch {
      issues.push({ path: `${path}[${index}]`, message: `"${selector}" is not a valid function signature` })
    }
  })
  return values
}

/** Rule ids name rules in decisions, so they must be unique across the whole document (Cedar ids included). */
function checkIds(document: PolicyDocument, issues: PolicyIssue[]): void {
  const seen = new Map<string, string>()
  const visit = (items: ReadonlyArray<{ id?: string | undefined }> | undefined, base: string) => {
    items?.forEach((item, index) => {
      if (item.id === undefined) return
      const path = `${base}[${index}].id`
      const first = seen.get(item.id)
      if (first === undefined) seen.set(item.id, path)
      else issues.push({ path, message: `id "${item.id}" is already used at ${first}` })
    })
  }
  visit(document.timeWindows, '$.timeWindows')
  visit(document.limits?.perTransaction, '$.limits.perTransaction')
  visit(document.limits?.windows, '$.limits.windows')
  visit(document.rateLimits, '$.rateLimits')
  visit(document.fees?.perTransaction, '$.fees.perTransaction')
  visit(document.fees?.windows, '$.fees.windows')
  visit(document.approvals?.rules, '$.approvals.rules')
  visit(document.cedar, '$.cedar')
}
