/** Test support: SQL injection attempts, as hostile input for fuzzing the HTTP edge. */

/**
 * Strings that would change a statement built by concatenation; the store only ever passes values as parameters,
 * so each must be stored or refused as plain text. Kept here because they are SQL, and SQL lives in the store.
 *
 * @example const hostileStrings = ['', ...sqlInjectionPayloads, '<script>alert(1)</script>']
 */
export const sqlInjectionPayloads: readonly string[] = ["' or 1=1 --", '"; drop table intents; --']
