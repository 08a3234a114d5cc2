/**
 * The argon2id cost and length bounds Bursar hashes passwords with, shared by hashing, verifying and the dummy check
 * that keeps a login for an unknown email as slow as one for a known email.
 */
import type { Algorithm, Options, Version } from '@node-rs/argon2'

// The library's enums are `const enum`s, which isolated modules cannot read: their values are written out here,
// typed as the members they are.
const argon2id: Algorithm.Argon2id = 2
const version13: Version.V0x13 = 1

/**
 * argon2id, version 0x13, at OWASP's first recommended configuration (19 MiB, 2 passes, 1 lane): the same cost as
 * the master key's KDF. Memory is what makes a GPU or ASIC attacker pay, but every concurrent login holds this much
 * too, so it stays at the recommended floor; raising it later is safe, because verifyPassword reports `needsRehash`
 * for hashes made below it and the login upgrades them.
 */
export const passwordHashOptions = {
  algorithm: argon2id,
  version: version13,
  /** KiB (`m=` in the PHC string). */
  memoryCost: 19_456,
  /** Passes over memory (`t=`). */
  timeCost: 2,
  /** Lanes (`p=`). */
  parallelism: 1,
  /** Bytes of output: 256 bits, more than any attacker can search. */
  outputLen: 32,
} as const satisfies Options

/** The library's 16-byte random salts; a stored hash with a shorter one is rehashed. */
export const passwordSaltBytes = 16

/**
 * NIST SP 800-63B: length, not composition rules, is what makes a password hard to guess, so there is a minimum
 * and no "one digit, one symbol" rule. Counted in Unicode code points after NFKC normalisation, so "é" typed as one
 * code point or as e + combining accent counts (and hashes) the same. The maximum is far above any passphrase and
 * only bounds the work one request can ask for.
 */
export const passwordMinLength = 12
export const passwordMaxLength = 1024

/**
 * The most a stored hash may ask verifyPassword to spend. Hashes come from our own database, but a corrupt or
 * planted row with m=4 GiB would otherwise make one login request take the process down (argon2 allocates `m`
 * before it compares anything). Well above any cost Bursar would raise to.
 */
export const maxStoredPasswordCost = { memoryCost: 1_048_576, timeCost: 64, parallelism: 16 } as const

/**
 * An argon2id hash at exactly `passwordHashOptions` of 32 random bytes that were thrown away: nothing verifies against
 * it. dummyVerify checks a password against it so that an unknown email costs the same argon2 work as a known one.
 * When the options above change, regenerate it (the test says so and how).
 */
export const dummyPasswordHash =
  '$argon2id$v=19$m=19456,t=2,p=1$vuIO5/IPG72KTCIn70SWXA$afhva5x2VuxbbiuPB8VpXh43jmn/Lr2nokA+WFZkd2g'
