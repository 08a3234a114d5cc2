/** Starts a passkey sign-in or step-up: the options for `navigator.credentials.get`. */
import { insertWebauthnChallenge, listPasskeys, type Sql } from '@bursar/store'
import {
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server'
import { passkeyChallengeTtlMs } from './passkeyParameters.ts'
import type { RelyingParty } from './RelyingParty.ts'

export type StartPasskeyAuthenticationReturnType = PublicKeyCredentialRequestOptionsJSON

/**
 * With an account (a step-up, or a login after the email was typed) the options allow only that account's passkeys
 * and the challenge is bound to it: only that account's passkey can answer. Without one, the browser offers every
 * passkey it holds for the RP (a discoverable-credential login) and the answer says whose it is. The challenge is
 * stored, for 5 minutes, to be answered once.
 *
 * @example
 * const options = await startPasskeyAuthentication(db, rp, session.account_id)
 * // the browser: navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) })
 */
export async function startPasskeyAuthentication(
  db: Sql,
  rp: RelyingParty,
  accountId?: string,
): Promise<StartPasskeyAuthenticationReturnType> {
  const passkeys = accountId === undefined ? [] : await listPasskeys(db, accountId)
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((passkey) => ({
      id: passkey.credential_id,
      transports: passkey.transports as AuthenticatorTransportFuture[],
    })),
    timeout: passkeyChallengeTtlMs,
    userVerification: 'preferred',
  })
  await insertWebauthnChallenge(db, {
    challenge: options.challenge,
    accountId: accountId ?? null,
    purpose: 'authenticate',
    expiresAt: new Date(Date.now() + passkeyChallengeTtlMs),
  })
  return options
}
