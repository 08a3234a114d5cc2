/** Runs once before the suite: fails fast, with the fix, when PostgreSQL is not reachable. */
import { checkDatabaseUrl } from '@bursar/store'

export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export default async function setup(): Promise<void> {
  try {
    await checkDatabaseUrl(testDatabaseUrl)
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${testDatabaseUrl}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
      { cause: error },
    )
  }
}
