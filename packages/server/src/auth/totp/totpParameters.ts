/**
 * The TOTP parameters Bursar enrols and verifies with: RFC 6238's defaults (HMAC-SHA-1, 6 digits, 30-second steps
 * from the Unix epoch), the only ones every authenticator app honours, so they are fixed rather than configurable.
 */

export const totpAlgorithm = 'sha1'
export const totpDigits = 6
export const totpPeriodSeconds = 30
/** 160 bits, the size of an HMAC-SHA-1 output: RFC 4226 §4 recommends it, and every app takes it. */
export const totpSecretBytes = 20
