/** The PASSKEY_INVALID error, with the reason clients and logs can tell apart. */
import { BursarError } from '@bursar/core/errors'

/**
 * - `malformed`: the response cannot be read, or is of the other ceremony;
 * - `challenge`: its challenge is unknown, used already (a replay), expired, of the other ceremony, or was issued for
 *   another account;
 * - `origin`: it was made on another origin (or in a cross-origin frame);
 * - `rp_id`: the authenticator scoped it to another relying party;
 * - `attestation`: the registration did not verify;
 * - `credential_registered`: the credential is registered already (to this account or any other);
 * - `unknown_credential`: no passkey has this credential id;
 * - `account`: the credential is another account's than the one expected;
 * - `signature`: the assertion's signature did not verify;
 * - `counter`: the signature counter did not go up (a cloned authenticator, or a replay).
 */
export type PasskeyInvalidReason =
  | 'malformed'
  | 'challenge'
  | 'origin'
  | 'rp_id'
  | 'attestation'
  | 'credential_registered'
  | 'unknown_credential'
  | 'account'
  | 'signature'
  | 'counter'

/** @example throw passkeyInvalid('origin', 'The passkey response was made on another origin') */
export function passkeyInvalid(reason: PasskeyInvalidReason, message: string, cause?: unknown): BursarError {
  return new BursarError('PASSKEY_INVALID', message, {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  })
}
