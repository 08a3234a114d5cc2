/** The checks both WebAuthn ceremonies share: the challenge (used up here), the origin and the relying party. */
import { createHash } from 'node:crypto'
import { consumeWebauthnChallenge, type Db, type WebauthnChallengeRow } from '@bursar/store'
import {
  type ClientDataJSON,
  decodeClientDataJSON,
  type ParsedAuthenticatorData,
  parseAuthenticatorData,
} from '@simplewebauthn/server/helpers'
import { passkeyInvalid } from './passkeyInvalid.ts'
import type { RelyingParty } from './RelyingParty.ts'

export type CheckCeremonyParameters = {
  /** Base64url, as in the response. */
  clientDataJSON: string
  /** The authenticator data, decoded (for a registration, from inside the attestation object). */
  authenticatorData: Uint8Array
  ceremony: 'register' | 'authenticate'
  /** When given, the challenge must have been issued for this account. */
  accountId?: string | undefined
}

/**
 * Reads the client data and uses up its challenge first, so that a response refused for any later reason cannot be
 * sent again; then the origin and the RP ID hash, each refused with its own reason. The signature (or attestation)
 * is the caller's to verify, with the library, against the challenge returned. Throws PASSKEY_INVALID.
 *
 * @example const issued = await checkCeremony(db, rp, { clientDataJSON, authenticatorData, ceremony: 'authenticate' })
 */
export async function checkCeremony(
  db: Db,
  rp: RelyingParty,
  parameters: CheckCeremonyParameters,
): Promise<WebauthnChallengeRow> {
  const { ceremony } = parameters
  const clientData = readClientData(parameters.clientDataJSON)
  const authenticatorData = readAuthenticatorData(parameters.authenticatorData)
  const expectedType = ceremony === 'register' ? 'webauthn.create' : 'webauthn.get'
  if (clientData.type !== expectedType) {
    throw passkeyInvalid('malformed', `The passkey response is not a ${expectedType} response`)
  }
  const issued = await consumeWebauthnChallenge(db, {
    challenge: clientData.challenge,
    purpose: ceremony,
    accountId: parameters.accountId,
  })
  if (!issued) {
    throw passkeyInvalid('challenge', 'The passkey challenge is unknown, used already or expired')
  }
  if (clientData.origin !== rp.origin || clientData.crossOrigin === true) {
    throw passkeyInvalid('origin', 'The passkey response was made on another origin')
  }
  const rpIdHash = createHash('sha256').update(rp.id).digest()
  if (!rpIdHash.equals(authenticatorData.rpIdHash)) {
    throw passkeyInvalid('rp_id', 'The passkey response is for another relying party')
  }
  return issued
}

function readClientData(clientDataJSON: string): ClientDataJSON {
  try {
    const clientData = decodeClientDataJSON(clientDataJSON)
    if (typeof clientData.challenge === 'string' && typeof clientData.origin === 'string') return clientData
  } catch (error) {
    throw passkeyInvalid('malformed', 'The passkey response has unreadable client data', error)
  }
  throw passkeyInvalid('malformed', 'The passkey response has unreadable client data')
}

function readAuthenticatorData(authenticatorData: Uint8Array): ParsedAuthenticatorData {
  try {
    return parseAuthenticatorData(authenticatorData as Parameters<typeof parseAuthenticatorData>[0])
  } catch (error) {
    throw passkeyInvalid('malformed', 'The passkey response has unreadable authenticator data', error)
  }
}
