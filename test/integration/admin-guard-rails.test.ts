import { env } from "cloudflare:workers";
import { and, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../src/db/client";
import { users } from "../../src/db/schema";
import { registrationBody } from "../helpers/api";
import { appRequest } from "../helpers/fetch-worker";
import "../provided-context";

// "The last superuser" is about every row of the table, so these tests own a database of their
// own: the Worker's app is called with the isolated database's URL in place of the shared one.
const isolatedEnv = { ...env, DATABASE_URL: inject("isolatedDatabaseUrl") };
const db = createDb(isolatedEnv.DATABASE_URL);

async function call(method: string, path: string, access?: string, body?: unknown) {
  const response = await appRequest(
    path,
    {
      method,
      headers: {
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...(access ? { Authorization: `Bearer ${access}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    isolatedEnv,
  );
  return { status: response.status, body: await response.json<{ message: string; data: { access: string } }>() };
}

async function account(flags: Partial<typeof users.$inferInsert>) {
  const registration = registrationBody();
  const registered = await call("POST", "/auth/register/", undefined, registration);
  const id = (registered.body.data as unknown as { id: number }).id;
  await db.update(users).set(flags).where(eq(users.id, id));
  const login = await call("POST", "/auth/login/", undefined, {
    email: registration.email,
    password: registration.password,
  });
  return { id, access: login.body.data.access };
}

const SUPERUSER = { role: "admin", isStaff: true, isSuperuser: true };
let first: { id: number; access: string };

describe("guard rails", () => {
  beforeAll(async () => {
    first = await account(SUPERUSER);
  });

  it("nobody removes, demotes or deactivates the last active superuser", async () => {
    for (const [method, body] of [
      ["PATCH", { is_superuser: false }],
      ["PATCH", { is_active: false }],
      ["DELETE", undefined],
    ] as const) {
      const response = await call(method, `/auth/users/${first.id}/`, first.access, body);
      expect(response.status, JSON.stringify(response.body)).toBe(409);
      expect(response.body.message).toBe("The last active superuser cannot be removed or demoted.");
    }
    const [row] = await db.select().from(users).where(eq(users.id, first.id));
    expect(row).toMatchObject({ isActive: true, isSuperuser: true });
  });

  it("with a second superuser, one may be demoted", async () => {
    const second = await account(SUPERUSER);
    const demoted = await call("PATCH", `/auth/users/${second.id}/`, first.access, { is_superuser: false });
    expect(demoted.status, JSON.stringify(demoted.body)).toBe(200);
    const back = await call("PATCH", `/auth/users/${first.id}/`, first.access, { is_active: false });
    expect(back.status).toBe(409);
  });

  it("an admin cannot deactivate or delete themselves out of the last active admin seat", async () => {
    const lone = await account({ role: "admin" });
    // Every other user (the admins among them) made inactive behind the API's back.
    await db.update(users).set({ isActive: false }).where(ne(users.id, lone.id));
    try {
      for (const [method, body] of [
        ["PATCH", { is_active: false }],
        ["DELETE", undefined],
      ] as const) {
        const response = await call(method, `/auth/users/${lone.id}/`, lone.access, body);
        expect(response.status, JSON.stringify(response.body)).toBe(409);
        expect(response.body.message).toBe("You hold the last admin seat: you cannot leave it.");
      }
    } finally {
      await db.update(users).set({ isActive: true });
    }
  });

  it("two superusers demoting each other at once: one wins, one superuser stays", async () => {
    const [x, y] = [await account(SUPERUSER), await account(SUPERUSER)] as const;
    await db
      .update(users)
      .set({ isSuperuser: false })
      .where(and(ne(users.id, x.id), ne(users.id, y.id)));
    const results = await Promise.all([
      call("PATCH", `/auth/users/${y.id}/`, x.access, { is_superuser: false }),
      call("PATCH", `/auth/users/${x.id}/`, y.access, { is_superuser: false }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const left = await db
      .select()
      .from(users)
      .where(and(eq(users.isSuperuser, true), eq(users.isActive, true)));
    expect(left).toHaveLength(1);
  });
});
