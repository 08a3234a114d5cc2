import { policyTemplates, validatePolicy } from './packages/core/src/policy/index.ts'
import {
  alice,
  evaluate,
  nativeTransfer,
  tokenAsset,
  tokenTransfer,
} from './packages/core/src/policy/testFixtures.ts'

const d = evaluate(
  { limits: { perTransaction: [{ asset: tokenAsset, max: '100' }] } },
  tokenTransfer(alice, 101n),
)
console.log(JSON.stringify(d, null, 1))
for (const [name, t] of Object.entries(policyTemplates)) {
  const r = validatePolicy(t)
  console.log(name, r.ok, r.ok ? r.warnings : r.issues)
}
console.log(
  JSON.stringify(
    validatePolicy({
      limits: { windows: [{ window: '1h', asset: 'anvil:native', max: '-1', x: 1 }] },
      cedar: [{ id: 'a', policy: 'forbid(principal, action, resource) when { context.amountLong > };' }],
    }),
  ),
)
console.log(
  JSON.stringify(
    validatePolicy({
      cedar: [{ id: 'a', policy: 'forbid(principal, action, resource) when {\n context.amountLong > };' }],
    }),
  ),
)
console.log(
  JSON.stringify(
    evaluate(
      {
        cedar: [
          { id: 'big', policy: 'forbid(principal, action, resource) when { context.amountLong > 5 };' },
        ],
      },
      nativeTransfer(alice, 6n),
    ),
  ),
)
