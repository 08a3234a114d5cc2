export { maxBigInt, minBigInt } from './bigintMath.ts'
export { formatUnits } from './formatUnits.ts'
export { maxAmount, parseAmount } from './parseAmount.ts'
