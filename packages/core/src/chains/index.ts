export type { Effect, EffectiveCall, EffectiveIntent } from './EffectiveIntent.ts'
export { type EffectSummary, summarizeEffects } from './summarizeEffects.ts'
