import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";

/** Writes a .dev.vars with a fresh random JWT_SECRET unless one exists; returns whether it did. */
export async function ensureDevVars(path = ".dev.vars"): Promise<boolean> {
  if (existsSync(path)) return false;
  const secret = randomBytes(48).toString("base64url");
  // DATABASE_URL is not kept here: `npm run dev` points the Worker at its own local server each run.
  await writeFile(path, `# Local secrets for wrangler dev; never commit this file.\nJWT_SECRET="${secret}"\n`, {
    mode: 0o600,
  });
  return true;
}
