/** The QR code of an otpauth:// URI as SVG text, for the enrolment screen. */
import { renderSVG } from 'uqr'

export type TotpQrSvgReturnType = string

/**
 * Error correction M survives a glare or a smudge on a screen, and a 4-module quiet zone is what the QR standard
 * asks for, so phones read it first time. The SVG holds the secret: serve it only in the enrolment response.
 *
 * @example
 * const svg = totpQrSvg(totpUri({ secret, account: 'alice@example.com', issuer: 'Bursar' }))
 * // '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 …">…</svg>'
 */
export function totpQrSvg(uri: string): TotpQrSvgReturnType {
  return renderSVG(uri, { ecc: 'M', border: 4 })
}
