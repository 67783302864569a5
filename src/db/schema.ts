import { sql } from "drizzle-orm";
import { bigint, boolean, char, datetime, index, int, mysqlTable, text, varchar } from "drizzle-orm/mysql-core";

// DATETIME(3) holds UTC: the app writes UTC instants and every connection runs in UTC.
const timestamp = (name: string) => datetime(name, { mode: "date", fsp: 3 });
const now = sql`CURRENT_TIMESTAMP(3)`;

export const users = mysqlTable(
  "users",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    /** As the user typed it, for display. */
    email: varchar("email", { length: 254 }).notNull(),
    /** Lower-cased and trimmed: the UNIQUE index here makes emails unique case-insensitively
     * without a functional index, which MariaDB lacks. */
    emailNormalized: varchar("email_normalized", { length: 254 }).notNull().unique(),
    username: varchar("username", { length: 150 }).notNull().unique(),
    /** Django's self-describing hash string, e.g. `pbkdf2_sha256$100000$salt$hash`. */
    password: varchar("password", { length: 255 }).notNull(),
    fullName: varchar("full_name", { length: 255 }).notNull().default(""),
    firstName: varchar("first_name", { length: 150 }).notNull().default(""),
    lastName: varchar("last_name", { length: 150 }).notNull().default(""),
    role: varchar("role", { length: 32 }).notNull(),
    /** When an administrator confirmed `role`: a staff role's scope (STAFF_SCOPES) holds only from
     * then, as registration lets anyone pick one. Null until then, and again after a role change
     * nobody confirmed. */
    roleConfirmedAt: timestamp("role_confirmed_at"),
    /** The administrator who confirmed it; null with a time for `createsuperuser`, run by an operator. */
    roleConfirmedBy: bigint("role_confirmed_by", { mode: "number", unsigned: true }),
    bio: varchar("bio", { length: 2000 }).notNull().default(""),
    profilePicture: varchar("profile_picture", { length: 255 }),
    isActive: boolean("is_active").notNull().default(true),
    isStaff: boolean("is_staff").notNull().default(false),
    isSuperuser: boolean("is_superuser").notNull().default(false),
    createdAt: timestamp("created_at").notNull().default(now),
    updatedAt: timestamp("updated_at").notNull().default(now),
    lastLogin: timestamp("last_login"),
    passwordChangedAt: timestamp("password_changed_at").notNull().default(now),
    /** Carried in every token as `ver`; bumping it refuses every token issued before (password
     * change, session revocation) without a lookup per token. */
    tokenVersion: int("token_version", { unsigned: true }).notNull().default(0),
    /** The user's id in the Django system they were imported from (`npm run import:django`); never
     * our id, which stays ours. Null for users made here. */
    legacyId: bigint("legacy_id", { mode: "number", unsigned: true }).unique(),
    /** The Django fields as the last import wrote them (JSON), so that a re-run updates only what
     * changed in Django since, and leaves alone what changed here. */
    legacySnapshot: text("legacy_snapshot"),
    /** When the user proved they read mail at `email` (a verification link); null until then, and
     * again after every change of address. */
    emailVerifiedAt: timestamp("email_verified_at"),
    /** An address the user asked to move to while REQUIRE_EMAIL_VERIFICATION holds: `email` stays
     * the login until a link sent here is used. Not unique: only a confirmed address takes a seat. */
    pendingEmail: varchar("pending_email", { length: 254 }),
  },
  // The administration list's orderings and its role filter, each ending in the id that breaks ties.
  (table) => [
    index("users_created_at_idx").on(table.createdAt, table.id),
    index("users_last_login_idx").on(table.lastLogin, table.id),
    index("users_role_created_at_idx").on(table.role, table.createdAt, table.id),
  ],
);

/**
 * One row per sign-in, of every kind: a JWT pair, an `/api/users/` key or an admin-site cookie. The
 * row is the truth about the session: every authenticated request reads it (joined with its user),
 * so revoking it takes effect at once, everywhere. Secrets are never stored: a JWT session keeps its
 * refresh token's `jti`, the others the SHA-256 of the key or cookie id.
 */
export const sessions = mysqlTable(
  "sessions",
  {
    /** A random UUID, carried in the session's tokens as `sid`. */
    id: char("id", { length: 36 }).primaryKey(),
    kind: varchar("kind", { length: 8, enum: ["jwt", "token", "admin"] }).notNull(),
    userId: bigint("user_id", { mode: "number", unsigned: true }).notNull(),
    createdAt: timestamp("created_at").notNull(),
    /** Moved on at most once a minute, after the response. */
    lastSeenAt: timestamp("last_seen_at"),
    /** The absolute end of the session, however busy; null for a key with no expiry (DRF's). */
    expiresAt: timestamp("expires_at"),
    revokedAt: timestamp("revoked_at"),
    revokedReason: varchar("revoked_reason", { length: 32 }),
    userAgent: varchar("user_agent", { length: 255 }).notNull(),
    ip: varchar("ip", { length: 45 }),
    /** A JWT session's live refresh token; rotation moves it to `previousJti`. */
    refreshJti: char("refresh_jti", { length: 36 }).unique(),
    previousJti: char("previous_jti", { length: 36 }),
    rotatedAt: timestamp("rotated_at"),
    /** The SHA-256 (hex) of an `/api/users/` key or of an admin-site cookie id. */
    secretDigest: char("secret_digest", { length: 64 }).unique(),
  },
  // A user's sessions newest first, and the purge's two conditions.
  (table) => [
    index("sessions_user_created_idx").on(table.userId, table.createdAt),
    index("sessions_expires_at_idx").on(table.expiresAt),
    index("sessions_revoked_at_idx").on(table.revokedAt),
  ],
);

/**
 * Every change made through the administration API: who, to whom, what (before and after of the
 * changed fields, as JSON), when, and the request id. Kept when the target user is deleted.
 */
export const auditLog = mysqlTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    createdAt: timestamp("created_at").notNull(),
    actorId: bigint("actor_id", { mode: "number", unsigned: true }).notNull(),
    actorEmail: varchar("actor_email", { length: 254 }).notNull(),
    action: varchar("action", { length: 64 }).notNull(),
    targetId: bigint("target_id", { mode: "number", unsigned: true }).notNull(),
    targetEmail: varchar("target_email", { length: 254 }).notNull(),
    /** `{field: {before, after}}`, JSON in a TEXT column: MariaDB's JSON type is only an alias. */
    changes: text("changes").notNull(),
    requestId: varchar("request_id", { length: 64 }).notNull(),
  },
  (table) => [
    index("audit_log_created_at_idx").on(table.createdAt, table.id),
    index("audit_log_target_idx").on(table.targetId, table.createdAt, table.id),
  ],
);

/**
 * Links sent by mail (password reset, email verification): only the SHA-256 of the 32 random bytes
 * in the link is kept. A token is used by one conditional UPDATE of `used_at`, so of two
 * concurrent uses one wins.
 */
export const oneTimeTokens = mysqlTable(
  "one_time_tokens",
  {
    digest: char("digest", { length: 64 }).primaryKey(),
    purpose: varchar("purpose", { length: 32 }).notNull(),
    userId: bigint("user_id", { mode: "number", unsigned: true }).notNull(),
    /** The address the link went to, normalized: a verification proves this address, not whatever
     * the user's email is by the time the link is used. */
    email: varchar("email", { length: 254 }).notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
  },
  (table) => [index("one_time_tokens_user_purpose_idx").on(table.userId, table.purpose)],
);

export type OneTimeToken = typeof oneTimeTokens.$inferSelect;
export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type NewUser = typeof users.$inferInsert;

/**
 * The asymmetric keys that sign tokens (JWT_ALGORITHM ES256 or EdDSA). A key's status is a function
 * of its times and the clock (src/services/signing-keys.ts): `next` until `activates_at`, then
 * `current` until `retired_at` (its successor's `activates_at`), `retired` after, `revoked` once
 * `revoked_at` is set. Stored as times, so no writer has to be awake at the moment a key moves on.
 */
export const signingKeys = mysqlTable("signing_keys", {
  /** RFC 7638 thumbprint of the public key: the `kid` in the header of every token it signs. */
  kid: varchar("kid", { length: 64 }).primaryKey(),
  /** 1 for the first key, one more for each successor. UNIQUE: of two isolates (or rotations)
   * racing to add the same key, exactly one insert succeeds; the other reads the winner's. */
  generation: int("generation", { unsigned: true }).notNull().unique(),
  /** `ES256` or `EdDSA`: a token's key decides its algorithm, never the token's own header. */
  alg: varchar("alg", { length: 16 }).notNull(),
  publicJwk: text("public_jwk").notNull(),
  /** The private JWK under AES-256-GCM with JWT_KEY_ENCRYPTION_KEY (src/crypto/key-encryption.ts). */
  privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
  createdAt: timestamp("created_at").notNull(),
  /** When it starts signing: JWT_KEY_PUBLISH_SECONDS after creation, at once for a first key. */
  activatesAt: timestamp("activates_at").notNull(),
  /** When a successor takes over; tokens it signed stay valid until this plus their lifetime. */
  retiredAt: timestamp("retired_at"),
  /** Refused from this moment on, whatever its other times say. */
  revokedAt: timestamp("revoked_at"),
});

export type SigningKeyRow = typeof signingKeys.$inferSelect;
