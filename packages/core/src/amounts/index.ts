export { maxAmount, parseAmount } from './parseAmount.ts'
