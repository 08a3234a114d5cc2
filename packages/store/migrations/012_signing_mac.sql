-- What an intent was signed as (its wallet, derivation index, chain, nonce and first transaction hash), MACed with a
-- key derived from the master seed when the executor signs it: replacements and cancellations are signed only at
-- that nonce, for that wallet, so a database writer cannot get a payment signed again at another nonce or a
-- zero-value transaction signed from a wallet the row does not own. Intents signed before have none: they are
-- followed to the end, never replaced or cancelled.
alter table intents add column signing_mac text;
