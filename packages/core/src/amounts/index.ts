export { maxBigInt, minBigInt } from './bigintMath.ts'
export { maxAmount, parseAmount } from './parseAmount.ts'
