/** Finishes a passkey sign-in or step-up: verifies the browser's assertion against the stored credential. */
import { type Db, findPasskey, updatePasskeyCounter } from '@bursar/store'
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import { checkCeremony } from './checkCeremony.ts'
import { passkeyInvalid } from './passkeyInvalid.ts'
import type { RelyingParty } from './RelyingParty.ts'

export type FinishPasskeyAuthenticationOptions = {
  /** The account that must answer (a step-up, or a login after the email was typed). */
  accountId?: string | undefined
}

export type FinishPasskeyAuthenticationReturnType = { accountId: string; passkeyId: string }

/**
 * Who answered: the account and the passkey. Refuses with PASSKEY_INVALID (`details.reason`): a challenge that is
 * unknown, used already (a replayed assertion), expired, or issued for another account than `accountId`
 * (`challenge`); another origin (`origin`) or RP ID (`rp_id`); an unknown credential (`unknown_credential`); a
 * credential of another account than `accountId`, or than the one the challenge was issued for (`account`); a bad
 * signature (`signature`); a signature counter that did not go up, unless it is 0 and always was (`counter`).
 *
 * The challenge is used up by the first response to it, whatever the outcome, so take the `Db`, not a transaction
 * that a refusal would roll back. On success the counter and last use are written; user verification is preferred,
 * not required.
 *
 * @example
 * const { accountId, passkeyId } = await finishPasskeyAuthentication(db, rp, request.body.response)
 */
export async function finishPasskeyAuthentication(
  db: Db,
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  options: FinishPasskeyAuthenticationOptions = {},
): Promise<FinishPasskeyAuthenticationReturnType> {
  const issued = await checkCeremony(db, rp, {
    clientDataJSON: response.response.clientDataJSON,
    authenticatorData: isoBase64URL.toBuffer(response.response.authenticatorData),
    ceremony: 'authenticate',
  })
  // A challenge issued for nobody may be answered for the account expected; one issued for another account may not.
  if (
    options.accountId !== undefined &&
    issued.account_id !== null &&
    issued.account_id !== options.accountId
  ) {
    throw passkeyInvalid('challenge', 'The passkey challenge was issued for another account')
  }
  const passkey = await findPasskey(db, response.id)
  if (!passkey) throw passkeyInvalid('unknown_credential', 'This passkey is not registered')
  const expectedAccount = options.accountId ?? issued.account_id
  const { userHandle } = response.response
  if (
    (expectedAccount !== null && passkey.account_id !== expectedAccount) ||
    // The user handle is the account id (startPasskeyRegistration); when the authenticator returns one, it must agree.
    (userHandle !== undefined && isoBase64URL.toUTF8String(userHandle) !== passkey.account_id)
  ) {
    throw passkeyInvalid('account', 'This passkey belongs to another account')
  }

  let verified: boolean
  let newCounter = 0
  try {
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: issued.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The counter is checked by updatePasskeyCounter below, atomically; the library's own check would throw
      // the same way as a bad signature does, and the two must be told apart.
      credential: {
        id: passkey.credential_id,
        publicKey: isoBase64URL.toBuffer(passkey.public_key),
        counter: 0,
        transports: passkey.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: false,
    })
    verified = verification.verified
    newCounter = verification.authenticationInfo.newCounter
  } catch (error) {
    throw passkeyInvalid('signature', 'The passkey assertion did not verify', error)
  }
  if (!verified) throw passkeyInvalid('signature', 'The passkey assertion did not verify')

  const updated = await updatePasskeyCounter(db, {
    accountId: passkey.account_id,
    credentialId: passkey.credential_id,
    counter: newCounter,
  })
  if (!updated) {
    throw passkeyInvalid(
      'counter',
      'The passkey signature counter went backwards: the authenticator may be cloned',
    )
  }
  return { accountId: passkey.account_id, passkeyId: passkey.id }
}
