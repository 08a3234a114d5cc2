/** Finishes adding a passkey: verifies the browser's registration response and stores the credential. */
import { type Db, insertPasskey, type PasskeyRow } from '@bursar/store'
import { type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server'
import { decodeAttestationObject, isoBase64URL } from '@simplewebauthn/server/helpers'
import { checkCeremony } from './checkCeremony.ts'
import { passkeyInvalid } from './passkeyInvalid.ts'
import type { RelyingParty } from './RelyingParty.ts'

/** The stored passkey, without its public key (nothing a caller shows or needs). */
export type FinishPasskeyRegistrationReturnType = Omit<PasskeyRow, 'public_key'>

/**
 * Refuses with PASSKEY_INVALID (`details.reason`): a response on another origin (`origin`) or for another RP ID
 * (`rp_id`); a challenge that is unknown, used, expired or not this account's registration (`challenge`); an
 * attestation that does not verify (`attestation`); a credential registered already, to any account
 * (`credential_registered`). The challenge is used up by the first response to it, whatever the outcome, so take
 * the `Db`, not a transaction that a refusal would roll back. User verification is preferred, not required.
 *
 * @example
 * const passkey = await finishPasskeyRegistration(db, rp, session.account_id, request.body.response, 'laptop')
 */
export async function finishPasskeyRegistration(
  db: Db,
  rp: RelyingParty,
  accountId: string,
  response: RegistrationResponseJSON,
  name?: string,
): Promise<FinishPasskeyRegistrationReturnType> {
  const issued = await checkCeremony(db, rp, {
    clientDataJSON: response.response.clientDataJSON,
    authenticatorData: readAuthenticatorData(response.response.attestationObject),
    ceremony: 'register',
    accountId,
  })
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: issued.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    })
  } catch (error) {
    throw passkeyInvalid('attestation', 'The passkey registration did not verify', error)
  }
  if (!verification.verified) throw passkeyInvalid('attestation', 'The passkey registration did not verify')
  const { credential } = verification.registrationInfo
  const passkey = await insertPasskey(db, {
    accountId,
    credentialId: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ?? [],
    name: name ?? null,
  })
  if (!passkey) throw passkeyInvalid('credential_registered', 'This passkey is registered already')
  const { public_key: _publicKey, ...stored } = passkey
  return stored
}

function readAuthenticatorData(attestationObject: string): Uint8Array {
  try {
    return decodeAttestationObject(isoBase64URL.toBuffer(attestationObject)).get('authData')
  } catch (error) {
    throw passkeyInvalid('malformed', 'The passkey registration has an unreadable attestation object', error)
  }
}
