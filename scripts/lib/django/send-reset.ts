// --send-reset: the users whose hash cannot be checked here get a reset link through the Worker's
// own `POST /auth/password-reset/ {email}` (issue 15), so the mail settings, the reset tokens and
// their limits stay in one place and the importer holds no mail credentials.
const PATH = "/auth/password-reset/";

/** Asks the Worker at `base` to mail each of these users a reset link; says what happened. */
export async function sendResets(base: string, users: { email: string }[], dryRun: boolean): Promise<string> {
  const url = new URL(PATH, base).toString();
  if (dryRun) return `Would ask ${url} to send ${users.length} reset links.`;
  const failed: string[] = [];
  for (const { email } of users) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email }),
    }).catch((error: unknown) => ({ ok: false, status: String(error) }) as const);
    if (!response.ok) failed.push(`  ${email}: ${response.status}`);
  }
  const sent = users.length - failed.length;
  return [`Reset links requested from ${url}: ${sent} of ${users.length}.`, ...failed].join("\n");
}
