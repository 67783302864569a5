import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { type Session, sessions } from "../../src/db/schema";
import { sha256Hex } from "../../src/services/hex";
import { issueToken, newTokenIdentity, type TokenSubject, type TokenType } from "../../src/services/tokens";
import { testDb, testTokenSettings } from "./api";

/** The session row behind an `/api/users/` key or an admin-site cookie id (kept as its SHA-256). */
export async function sessionOfSecret(secret: string): Promise<Session | undefined> {
  const [row] = await testDb()
    .select()
    .from(sessions)
    .where(eq(sessions.secretDigest, await sha256Hex(secret)));
  return row;
}

/** The id of the session a JWT belongs to (its `sid`). */
export const sidOf = (token: string) => decodeJwt(token).sid as string;

export async function sessionById(id: string): Promise<Session | undefined> {
  const [row] = await testDb().select().from(sessions).where(eq(sessions.id, id));
  return row;
}

/** Rewrites a session's row, e.g. to move its times back. */
export async function updateSession(id: string, values: Partial<Session>): Promise<void> {
  await testDb().update(sessions).set(values).where(eq(sessions.id, id));
}

/** A token signed as the Worker signs them, for a session of the test's own, issued at `issuedAt`. */
export function mintToken(type: TokenType, subject: TokenSubject, issuedAt = new Date()) {
  const settings = testTokenSettings();
  return issueToken(settings, type, subject, newTokenIdentity(settings, type, issuedAt));
}

/** A live JWT session row of the test's own, whose refresh token is `refreshJti`. */
export async function insertJwtSession(userId: number, refreshJti: string, expiresAt: Date, id = crypto.randomUUID()) {
  const now = new Date();
  await testDb()
    .insert(sessions)
    .values({ id, kind: "jwt", userId, createdAt: now, lastSeenAt: now, expiresAt, userAgent: "", refreshJti });
  return id;
}
