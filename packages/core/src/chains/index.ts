export type {
  AdapterContext,
  Balance,
  ChainAdapter,
  ChainFamily,
  Curve,
  JsonValue,
  NetworkInfo,
  PreparedTransaction,
  Receipt,
  SigningInput,
  SimulatedTransaction,
} from './ChainAdapter.ts'
export type { Effect, EffectiveCall, EffectiveIntent } from './EffectiveIntent.ts'
export { type EffectSummary, summarizeEffects } from './summarizeEffects.ts'
