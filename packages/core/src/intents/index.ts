export { assertIntentTransition } from './assertIntentTransition.ts'
export {
  intentInitialStatus,
  intentTransitions,
  isIntentTransition,
} from './intentTransitions.ts'
