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
 * One row per refresh token issued. Rotation is a conditional UPDATE of `revoked_at`, so of many
 * concurrent refreshes with one token exactly one wins; KV's blacklist is a fast first check only.
 */
export const refreshTokens = mysqlTable(
  "refresh_tokens",
  {
    jti: char("jti", { length: 36 }).primaryKey(),
    userId: bigint("user_id", { mode: "number", unsigned: true }).notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    /** Set when rotated or revoked: the token is spent from then on. */
    revokedAt: timestamp("revoked_at"),
  },
  (table) => [index("refresh_tokens_user_id_idx").on(table.userId)],
);

/**
 * One row per `/api/users/` login (DRF's authtoken, but one key per client so each can be revoked
 * alone). Only the SHA-256 digest of the key is stored: a leaked table holds no usable token.
 */
export const apiTokens = mysqlTable(
  "api_tokens",
  {
    digest: char("digest", { length: 64 }).primaryKey(),
    userId: bigint("user_id", { mode: "number", unsigned: true }).notNull(),
    createdAt: timestamp("created_at").notNull(),
    lastUsedAt: timestamp("last_used_at"),
    expiresAt: timestamp("expires_at").notNull(),
    revokedAt: timestamp("revoked_at"),
  },
  (table) => [index("api_tokens_user_id_idx").on(table.userId)],
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
export type NewUser = typeof users.$inferInsert;
