/** Refuses an empty master key early, with the setting to fix, before any argon2 work. */
import { BursarError } from '@bursar/core/errors'

export function assertMasterKey(masterKey: string): void {
  if (typeof masterKey !== 'string' || masterKey.length === 0) {
    throw new BursarError('MASTER_KEY_INVALID', 'master key is empty (set BURSAR_MASTER_KEY)')
  }
}
