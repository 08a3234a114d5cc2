/** bursar login — opens a session for a person and prints its token once, to export as BURSAR_OWNER_TOKEN. */
import { type ConnectionOptions, signInClient } from '../connection.ts'
import { CliError, type Output, print } from '../output.ts'

export type LoginOptions = ConnectionOptions &
  Output & { email: string; totp?: string | undefined; recoveryCode?: string | undefined }

export async function loginCommand(options: LoginOptions) {
  // Never an argument: other users see a process's arguments, and the shell keeps them in its history.
  const password = process.env.BURSAR_PASSWORD
  if (!password) throw new CliError('USAGE', "set BURSAR_PASSWORD to the account's password")
  const login = await signInClient(options).login({
    email: options.email,
    password,
    ...(options.totp === undefined ? {} : { totp_code: options.totp }),
    ...(options.recoveryCode === undefined ? {} : { recovery_code: options.recoveryCode }),
  })
  print(options, login, () => {
    const roles = login.memberships.map((m) => `${m.role} of ${m.org_name}`).join(', ')
    return [
      `signed in as ${login.account.email}${roles ? ` (${roles})` : ''}`,
      `token ${login.token}`,
      'shown once: export BURSAR_OWNER_TOKEN=<token> to act as yourself (approve and deny need it)',
      `session ${login.session.id}, expires ${login.session.expires_at} (sooner if left idle)`,
    ].join('\n')
  })
}
