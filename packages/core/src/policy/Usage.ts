/** The history the database supplies for one evaluation, and the request saying which history is needed. */

/** What the database must look up for one evaluation: only what the policy needs. */
export type UsageRequest = {
  /** Reserved + committed spend of `asset` in the last `windowSeconds`; key it with usageKey(asset, windowSeconds). */
  spend: Array<{ asset: string; windowSeconds: number }>
  /** Network fees alone of `asset` in the last `windowSeconds` (reserved ceilings, paid once mined); usageKey too. */
  fees: Array<{ asset: string; windowSeconds: number }>
  /** Reserved + committed USD value (micro-dollars) across all assets and chains, per window. */
  usdWindows: number[]
  /** Intents the agent submitted, per window. */
  countWindows: number[]
  /** Whether the agent has paid each of `recipients` before is needed. */
  recipientHistory: boolean
  /** Every party the intent pays or grants something (canonical form); derived from the bytes, not the labels. */
  recipients: string[]
}

export type Usage = {
  /** Key `${asset}|${windowSeconds}`: already reserved + committed in the window, excluding this intent. Absent = 0. */
  spend: Map<string, bigint>
  /** Key `${asset}|${windowSeconds}`: network fees of the asset already reserved or paid in the window. Absent = 0. */
  fees: Map<string, bigint>
  /** Key windowSeconds: micro-dollars already reserved + committed in the window, excluding this intent. Absent = 0. */
  usdMicros: Map<number, bigint>
  /** Key windowSeconds: intents already submitted in the window, excluding this one. Absent = 0. */
  counts: Map<number, number>
  /** The parties of this intent the agent has paid before. */
  knownRecipients: ReadonlySet<string>
}

/** The key of Usage.spend for one asset and window. */
export function usageKey(asset: string, windowSeconds: number): string {
  return `${asset}|${windowSeconds}`
}
