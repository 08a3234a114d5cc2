export { BursarError, type BursarErrorParameters, isBursarError } from './BursarError.ts'
export { type ErrorCode, errorCodes } from './codes.ts'
