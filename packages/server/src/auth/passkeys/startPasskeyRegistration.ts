/** Starts adding a passkey to an account: the options for `navigator.credentials.create`. */
import { type AccountRow, insertWebauthnChallenge, listPasskeys, type Sql } from '@bursar/store'
import {
  type AuthenticatorTransportFuture,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server'
import { isoUint8Array } from '@simplewebauthn/server/helpers'
import { passkeyChallengeTtlMs } from './passkeyParameters.ts'
import type { RelyingParty } from './RelyingParty.ts'

export type StartPasskeyRegistrationReturnType = PublicKeyCredentialCreationOptionsJSON

/**
 * The account's passkeys are excluded, so an authenticator that holds one already says so instead of making a
 * second. The WebAuthn user handle is the account id (opaque, no personal data), so an authenticator keeps one
 * passkey per account; the email is the name shown. No attestation is asked for: Bursar trusts the account holder's
 * choice of authenticator, not its make. The challenge is stored, for 5 minutes, to be answered once.
 *
 * @example
 * const options = await startPasskeyRegistration(db, rp, { id: account.id, email: account.email })
 * // the browser: navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
 */
export async function startPasskeyRegistration(
  db: Sql,
  rp: RelyingParty,
  account: Pick<AccountRow, 'id' | 'email'>,
): Promise<StartPasskeyRegistrationReturnType> {
  const existing = await listPasskeys(db, account.id)
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: isoUint8Array.fromUTF8String(account.id),
    userName: account.email,
    userDisplayName: account.email,
    timeout: passkeyChallengeTtlMs,
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credential_id,
      transports: passkey.transports as AuthenticatorTransportFuture[],
    })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  })
  await insertWebauthnChallenge(db, {
    challenge: options.challenge,
    accountId: account.id,
    purpose: 'register',
    expiresAt: new Date(Date.now() + passkeyChallengeTtlMs),
  })
  return options
}
