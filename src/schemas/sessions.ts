import * as z from "zod";

// The sessions routes of both APIs and of the administration API: one shape for a session.

export const SessionView = z
  .strictObject({
    id: z.uuid(),
    kind: z.enum(["jwt", "token", "admin"]).meta({
      description: "`jwt`: an `/auth/` token pair; `token`: an `/api/users/` key; `admin`: an admin-site cookie",
    }),
    created_at: z.iso.datetime(),
    last_seen_at: z.iso.datetime().nullable().meta({ description: "Kept to the minute" }),
    expires_at: z.iso.datetime().nullable().meta({ description: "The session's absolute end; null: never" }),
    user_agent: z.string(),
    ip: z.string().nullable(),
    current: z.boolean().meta({ description: "The session making this request" }),
  })
  .meta({ id: "Session", description: "A live sign-in" });

export const SESSION_EXAMPLE = {
  id: "0b7f2c1e-5d0a-4c59-9d4e-2f7d7e0c9a11",
  kind: "jwt",
  created_at: "2026-12-01T09:30:00.000Z",
  last_seen_at: "2026-12-01T10:02:00.000Z",
  expires_at: "2026-12-08T09:30:00.000Z",
  user_agent: "Mozilla/5.0 (X11; Linux x86_64)",
  ip: "203.0.113.7",
  current: true,
} as const;

export const SessionParam = z.object({ sessionId: z.uuid({ error: "Not a session id." }) });

export const LogoutAllBody = z
  .object({ keep_current: z.boolean().default(false) })
  .meta({ description: "Optional: `keep_current` keeps the session making the request" });
