/** The policy document an owner writes: its shape, field formats and descriptions (docs/policy.schema.json is generated from it). */
import { z } from 'zod'
import { maxAmount } from '../amounts/parseAmount.ts'
import { approverRoles } from './approverEntry.ts'
import { isDuration } from './parseDuration.ts'

const id = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/,
    'must be 1-64 letters, digits, _ . : - (starting with a letter or digit)',
  )
  .describe('Stable rule id, reported in decisions instead of the JSON path')

const description = z.string().max(1000).describe('Free text for people; ignored by the engine')

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .describe('EVM address; compared case-insensitively')

const decimalInteger = /^(0|[1-9][0-9]*)$/
const amount = z
  .string()
  .regex(decimalInteger, 'must be a non-negative integer in base units, as a decimal string')
  .max(78)
  // zod runs refinements even after the regex failed: only convert what is a decimal integer.
  .refine((value) => !decimalInteger.test(value) || BigInt(value) <= maxAmount, 'must be at most 2^256 - 1')
  .describe('Integer amount in base units of the asset (wei, token base units), as a decimal string')

const usd = z
  .string()
  .regex(
    /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$/,
    'must be US dollars as a decimal string with at most 6 decimals, e.g. "250" or "0.05"',
  )
  .describe('US dollars as a decimal string (up to 6 decimals, i.e. micro-dollars); never a number')

const asset = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}:(native|0x[0-9a-fA-F]{40})$/,
    'must be "<network>:native" or "<network>:<token address>", e.g. "anvil:native"',
  )
  .describe('Asset key: "<network>:native" or "<network>:<token contract address>"')

const duration = z
  .string()
  .regex(/^([1-9][0-9]{0,6}[smhdw])+$/, 'must be a duration such as "30m", "1h", "24h", "7d" or "1h30m"')
  .refine(isDuration, 'must be between 1 second and 366 days')
  .describe('Rolling window length: digits followed by s, m, h, d or w, e.g. "1h", "24h", "7d", "1h30m"')

const selector = z
  .string()
  .regex(
    /^(0x[0-9a-fA-F]{8}|[A-Za-z_$][A-Za-z0-9_$]*\(.*\))$/,
    'must be a 4-byte selector such as "0xa9059cbb" or a signature such as "transfer(address,uint256)"',
  )
  .describe('Function selector ("0xa9059cbb") or function signature ("transfer(address,uint256)")')

const timeOfDay = z
  .string()
  .regex(
    /^(([01]?[0-9]|2[0-3])(:[0-5][0-9])?|24(:00)?)$/,
    'must be a UTC time "HH" or "HH:MM" between 00:00 and 24:00',
  )

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

const approverList = z
  .array(z.string().min(1).max(128))
  .min(1)
  .max(64)
  .describe(
    'Who may approve: account ids ("acc_…") or "role:approver" / "role:admin" (every member holding that role); any other entry matches nobody',
  )

const quorum = z.number().int().min(1).max(64).describe('How many distinct approvers must approve')

const approverRole = z
  .enum(approverRoles)
  .describe(
    'The least role every approver must hold when deciding: "approver" (approvers and admins; the default) or "admin". A rule may override it',
  )

const expiresAfter = duration.describe(
  'How long a request waits for its quorum before it expires and its reservation is released, at most "7d"; "24h" when omitted. A rule may override it',
)

const timelock = duration.describe(
  'How long an approved intent is held before it is signed, during which any approver may cancel it; none when omitted. A rule may override it',
)

const timeWindowSchema = z
  .strictObject({
    id: id.optional(),
    description: description.optional(),
    days: z
      .array(z.enum(weekdays))
      .min(1)
      .optional()
      .describe('UTC weekdays on which the window starts; all days when omitted'),
    start: timeOfDay.describe('UTC start time, inclusive'),
    end: timeOfDay.describe(
      'UTC end time, exclusive; an end before the start wraps past midnight into the next day',
    ),
  })
  .describe('A UTC time window; an intent is allowed only inside at least one window')

const perTransactionLimitSchema = z
  .strictObject({
    id: id.optional(),
    description: description.optional(),
    asset: asset
      .optional()
      .describe('The asset this limit applies to; required with "max", not allowed with "maxUsd"'),
    max: amount.optional().describe('Largest amount of the asset one intent may move, in base units'),
    maxUsd: usd.optional().describe('Largest US dollar value one intent may move, across all its assets'),
  })
  .describe('Per-transaction limit: either {asset, max} or {maxUsd}')

const windowLimitSchema = z
  .strictObject({
    id: id.optional(),
    description: description.optional(),
    window: duration,
    asset: asset
      .optional()
      .describe('The asset this limit applies to; required with "max", not allowed with "maxUsd"'),
    max: amount.optional().describe('Largest amount of the asset moved in any rolling window, in base units'),
    maxUsd: usd
      .optional()
      .describe('Largest US dollar value moved in any rolling window, across all assets and chains'),
  })
  .describe('Rolling-window limit: either {window, asset, max} or {window, maxUsd}')

const rateLimitSchema = z
  .strictObject({
    id: id.optional(),
    description: description.optional(),
    window: duration,
    max: z
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .describe('Most intents the agent may submit in any rolling window'),
  })
  .describe('Rate limit: at most `max` intents per rolling window')

const approvalRuleSchema = z
  .strictObject({
    id: id.optional(),
    description: description.optional(),
    asset: asset.optional().describe('With "above": the asset whose amount is compared'),
    above: amount
      .optional()
      .describe('Triggers when the intent moves more than this amount of "asset" (base units)'),
    aboveUsd: usd.optional().describe('Triggers when the intent moves more than this US dollar value'),
    newRecipient: z
      .boolean()
      .optional()
      .describe(
        'true: triggers when the agent has never paid the recipient before (false or omitted: no condition)',
      ),
    selectors: z
      .array(selector)
      .min(1)
      .optional()
      .describe('Triggers when the intent calls one of these functions'),
    approvers: approverList.optional().describe('Overrides approvals.approvers for this rule'),
    quorum: quorum.optional().describe('Overrides approvals.quorum for this rule'),
    role: approverRole.optional().describe('Overrides approvals.role for this rule'),
    expiresAfter: expiresAfter.optional().describe('Overrides approvals.expiresAfter for this rule'),
    timelock: timelock.optional().describe('Overrides approvals.timelock for this rule'),
  })
  .describe('Approval threshold: triggers when ALL its conditions hold')

const cedarRuleSchema = z
  .strictObject({
    id: id.describe('Cedar policy id, reported with CEDAR_FORBID'),
    description: description.optional(),
    policy: z.string().min(1).max(65_536).describe('Exactly one Cedar policy (permit or forbid), as text'),
  })
  .describe('A custom rule written in Cedar')

const breakerSignal = z.strictObject({
  max: z.number().int().min(1).max(1_000_000).describe('Trip when this many events happen in the window'),
  window: duration,
})

const breakerSchema = z
  .strictObject({
    denials: breakerSignal.optional().describe('Trip after `max` policy denials within `window`'),
    failedBroadcasts: breakerSignal
      .optional()
      .describe(
        'Trip after `max` intents fail at or after signing (rejected broadcast, on-chain revert) within `window`',
      ),
    spendVelocity: z
      .array(
        z.strictObject({
          id: id.optional(),
          asset,
          window: duration,
          max: amount.describe(
            'Trip when reserved + committed spend of the asset in the window exceeds this',
          ),
        }),
      )
      .optional()
      .describe(
        'Trip when spend in a window exceeds a threshold (the intent that crosses it is held, not signed)',
      ),
  })
  .describe(
    'Circuit breaker signals: when one fires, the agent is frozen (no new intents, nothing signed) until an owner resets it',
  )

export const policyDocumentSchema = z
  .strictObject({
    $schema: z.string().max(512).optional().describe('Optional JSON Schema reference for editors; ignored'),
    description: description.optional(),
    chains: z
      .strictObject({
        allow: z
          .array(z.string().min(1).max(64))
          .describe('Networks the agent may use, e.g. ["anvil", "base"]'),
      })
      .optional()
      .describe('Chain allowlist; every network is allowed when omitted'),
    recipients: z
      .strictObject({
        allow: z.array(address).optional().describe('Only these recipients may be paid; anyone when omitted'),
        deny: z.array(address).optional().describe('Never pay or call these addresses; beats the allowlist'),
      })
      .optional(),
    contracts: z
      .strictObject({
        allow: z
          .array(address)
          .optional()
          .describe('Contracts the agent may call with calldata; any when omitted'),
        selectors: z
          .strictObject({
            allow: z.array(selector).optional().describe('Functions the agent may call; any when omitted'),
            deny: z
              .array(selector)
              .optional()
              .describe('Functions the agent may never call; beats the allowlist'),
          })
          .optional(),
        forbidUnlimitedApprovals: z
          .boolean()
          .optional()
          .describe(
            'Deny token approvals of 2^96 - 1 base units or more (what wallets send as "unlimited"), and operator or approve-all grants',
          ),
        allowUnvalued: z
          .array(selector)
          .max(256)
          .optional()
          .describe(
            'Functions the engine cannot value that may still be called on a configured token, an asset the policy names, or (under limits.onlyListedAssets) any contract; everything else there is denied (UNVALUED_CALL)',
          ),
      })
      .optional()
      .describe('Rules for intents that carry calldata; intents without calldata skip them'),
    timeWindows: z
      .array(timeWindowSchema)
      .optional()
      .describe('When intents are allowed (UTC); any time when omitted'),
    limits: z
      .strictObject({
        perTransaction: z.array(perTransactionLimitSchema).optional(),
        windows: z.array(windowLimitSchema).optional(),
        onlyListedAssets: z
          .boolean()
          .optional()
          .describe('Deny any asset that has no asset-specific limit (per-transaction or window)'),
      })
      .optional(),
    rateLimits: z.array(rateLimitSchema).optional(),
    fees: z
      .strictObject({
        perTransaction: z
          .array(
            z.strictObject({
              id: id.optional(),
              description: description.optional(),
              asset: asset.describe('The native asset the network charges its fee in, e.g. "anvil:native"'),
              max: amount.describe(
                'Most one transaction may cost in network fees (gas limit × max fee per gas), in base units',
              ),
            }),
          )
          .optional(),
        windows: z
          .array(
            z.strictObject({
              id: id.optional(),
              description: description.optional(),
              window: duration,
              asset: asset.describe('The native asset the network charges its fee in, e.g. "anvil:native"'),
              max: amount.describe(
                'Most the agent may spend on network fees in any rolling window, in base units: what mined transactions really paid plus the fee ceilings of those not yet mined, this one included',
              ),
            }),
          )
          .optional()
          .describe('Fee budgets: network fees alone, over rolling windows'),
      })
      .optional()
      .describe(
        "Network fee caps and budgets. Fees also count as spend of the native asset in every limit; a network's default cap applies where none is set",
      ),
    approvals: z
      .strictObject({
        approvers: approverList.optional().describe('Default approvers for rules that name none'),
        quorum: quorum.optional().describe('Default quorum for rules that name none'),
        role: approverRole.optional(),
        expiresAfter: expiresAfter.optional(),
        timelock: timelock.optional(),
        rules: z.array(approvalRuleSchema),
      })
      .optional()
      .describe('When a human must approve before the intent executes'),
    cedar: z
      .array(cedarRuleSchema)
      .optional()
      .describe('Custom rules in Cedar; see docs/policy.md for the request Bursar builds'),
    breaker: breakerSchema.optional(),
  })
  .meta({
    title: 'Bursar agent policy',
    description: 'A Bursar agent policy (docs/policy.md). A policy with no rules allows everything.',
  })

export type PolicyDocument = z.infer<typeof policyDocumentSchema>
