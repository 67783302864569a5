// For `npm run bench`: gives one user a Django hash above WebCrypto's 100,000 iterations, as an
// import leaves it, so that its wrong logins measure the pure-JS PBKDF2.
import { pbkdf2Sync } from "node:crypto";
import { inArray } from "drizzle-orm";
import { createDb } from "../../src/db/client";
import { users } from "../../src/db/schema";
import { normalizeEmail } from "../../src/db/users";
import { openDatabase } from "./local-database";

/** Sets these users' hash to `iterations` rounds of PBKDF2 of `password` in DATABASE_URL's database. */
export async function setImportedHash(emails: string[], password: string, iterations: number): Promise<void> {
  const salt = "BenchImportedHashSalt0";
  const key = pbkdf2Sync(password, salt, iterations, 32, "sha256").toString("base64");
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
  try {
    await createDb(database.url)
      .update(users)
      .set({ password: `pbkdf2_sha256$${iterations}$${salt}$${key}` })
      .where(inArray(users.emailNormalized, emails.map(normalizeEmail)));
  } finally {
    await database.close();
  }
}
