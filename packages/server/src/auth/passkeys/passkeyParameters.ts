/** The numbers of Bursar's WebAuthn ceremonies, in one place. */

/** How long a challenge can be answered; the browser is told to give up after as long. */
export const passkeyChallengeTtlMs = 5 * 60_000
