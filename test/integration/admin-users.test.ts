import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, users } from "../../src/db/schema";
import { accountWith, admin, as, confirmedStaff, superuser } from "../helpers/admin";
import { api, expectErrorEnvelope, testDb } from "../helpers/api";
import { registerAndLoginDrf, tokenAuth } from "../helpers/drf";

const auditFor = (targetId: number) =>
  testDb().select().from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.id);

const FORBIDDEN = "You do not have permission to perform this action.";
const expectForbidden = (response: Awaited<ReturnType<typeof api>>) =>
  expect(expectErrorEnvelope(response, 403)).toEqual({ detail: [FORBIDDEN] });

describe("GET /auth/users/", () => {
  it("lists with pagination and totals for an admin, newest first", async () => {
    const boss = await admin();
    await accountWith("student");
    const response = await as(boss, "GET", "/auth/users/?limit=2");
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const { results, pagination } = response.body.data;
    expect(results).toHaveLength(2);
    expect(pagination).toMatchObject({ page: 1, limit: 2 });
    expect(pagination.total).toBeGreaterThanOrEqual(2);
    expect(pagination.pages).toBe(Math.ceil(pagination.total / 2));
    expect(results[0].created_at >= results[1].created_at).toBe(true);
    expect(Object.keys(results[0])).toEqual(
      expect.arrayContaining(["id", "email", "fullName", "first_name", "last_name", "role", "is_active", "last_login"]),
    );
    expect(results[0]).not.toHaveProperty("password");
  });

  it("searches email and names by substring, and filters by role and flags", async () => {
    const boss = await admin();
    const tag = crypto.randomUUID().slice(0, 8);
    const target = await accountWith("doctor", { fullName: `Zed ${tag}`, isStaff: true });
    await accountWith("doctor", { fullName: `Other ${tag}`, isActive: false });
    const byName = await as(boss, "GET", `/auth/users/?search=zed%20${tag}`);
    expect(byName.body.data.results.map((user: { id: number }) => user.id)).toEqual([target.id]);
    const byEmail = await as(boss, "GET", `/auth/users/?search=${encodeURIComponent(target.email.toUpperCase())}`);
    expect(byEmail.body.data.pagination.total).toBe(1);
    const filtered = await as(boss, "GET", `/auth/users/?search=${tag}&role=doctor&is_active=true&is_staff=true`);
    expect(filtered.body.data.results.map((user: { id: number }) => user.id)).toEqual([target.id]);
    const inactive = await as(boss, "GET", `/auth/users/?search=${tag}&is_active=false`);
    expect(inactive.body.data.results).toHaveLength(1);
    expect(inactive.body.data.results[0].fullName).toBe(`Other ${tag}`);
  });

  it("takes % and _ in a search literally", async () => {
    const boss = await admin();
    const response = await as(boss, "GET", "/auth/users/?search=%25%25%25_");
    expect(response.body.data.pagination.total).toBe(0);
  });

  it.each(["email", "-email", "created_at", "-created_at", "last_login", "-last_login"])(
    "orders by %s",
    async (ordering) => {
      const boss = await admin();
      const response = await as(boss, "GET", `/auth/users/?ordering=${ordering}&limit=100`);
      expect(response.status).toBe(200);
      const field = ordering.replace("-", "");
      const values = response.body.data.results
        .map((user: Record<string, string | null>) => (field === "email" ? user.email?.toLowerCase() : user[field]))
        .filter((value: string | null) => value !== null);
      const sorted = [...values].sort();
      expect(values).toEqual(ordering.startsWith("-") ? sorted.reverse() : sorted);
    },
  );

  it("refuses bad query parameters field by field", async () => {
    const boss = await admin();
    const errors = expectErrorEnvelope(
      await as(boss, "GET", "/auth/users/?limit=101&page=0&ordering=password&is_active=maybe"),
      400,
    );
    expect(Object.keys(errors).sort()).toEqual(["is_active", "limit", "ordering", "page"]);
    for (const path of ["/auth/users/?page=1e21&limit=Infinity", "/auth/audit/?page=100001&limit=1e21"]) {
      const bounds = expectErrorEnvelope(await as(boss, "GET", path), 400);
      expect(Object.keys(bounds).sort(), path).toEqual(["limit", "page"]);
    }
  });

  it("gives a confirmed teacher only students and a confirmed doctor only patients", async () => {
    const teacher = await confirmedStaff("teacher");
    const doctor = await confirmedStaff("doctor");
    await accountWith("student");
    const teacherList = await as(teacher, "GET", "/auth/users/?limit=100");
    expect(new Set(teacherList.body.data.results.map((user: { role: string }) => user.role))).toEqual(
      new Set(["student"]),
    );
    const doctorList = await as(doctor, "GET", "/auth/users/?limit=100&role=student");
    expect(doctorList.body.data.pagination.total).toBe(0);
  });

  it("refuses a student and a patient with 403, and strangers with 401", async () => {
    expectForbidden(await as(await accountWith("student"), "GET", "/auth/users/"));
    expectForbidden(await as(await accountWith("patient"), "GET", "/auth/users/"));
    expect((await api("GET", "/auth/users/")).status).toBe(401);
  });

  it("accepts Token auth as well as Bearer", async () => {
    const drf = await registerAndLoginDrf({ role: "doctor" });
    expect((await as(await admin(), "POST", `/auth/users/${drf.user.id}/confirm-role/`)).status).toBe(200);
    const response = await api("GET", "/auth/users/?limit=1", { headers: tokenAuth(drf.token) });
    expect(response.status).toBe(200);
    expect(response.body.success).toBe(true);
  });
});

describe("GET /auth/users/{id}/", () => {
  it("shows a user to an admin, a student to their teacher, and anyone to themselves", async () => {
    const student = await accountWith("student");
    const teacher = await confirmedStaff("teacher");
    expect((await as(await admin(), "GET", `/auth/users/${student.id}/`)).body.data.id).toBe(student.id);
    expect((await as(teacher, "GET", `/auth/users/${student.id}/`)).status).toBe(200);
    expect((await as(student, "GET", `/auth/users/${student.id}/`)).status).toBe(200);
  });

  it("refuses a teacher reading a doctor's patient, and a student reading another user", async () => {
    const patient = await accountWith("patient");
    expectForbidden(await as(await confirmedStaff("teacher"), "GET", `/auth/users/${patient.id}/`));
    expectForbidden(await as(await accountWith("student"), "GET", `/auth/users/${patient.id}/`));
  });

  it("answers 404 to an admin for an unknown id, but 403 to others so ids cannot be probed", async () => {
    expect(expectErrorEnvelope(await as(await admin(), "GET", "/auth/users/999999999/"), 404)).toBeDefined();
    expectForbidden(await as(await accountWith("student"), "GET", "/auth/users/999999999/"));
    expect((await as(await admin(), "GET", "/auth/users/abc/")).status).toBe(400);
  });
});

describe("PATCH /auth/users/{id}/", () => {
  it("lets an admin change names, email, role and bio, with an audit entry of before and after", async () => {
    const boss = await admin();
    const target = await accountWith("student");
    const email = `renamed.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const response = await as(boss, "PATCH", `/auth/users/${target.id}/`, {
      first_name: "Ada",
      last_name: "Lovelace",
      email,
      role: "teacher",
      bio: "Counts",
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data).toMatchObject({ fullName: "Ada Lovelace", email, role: "teacher", bio: "Counts" });
    expect(Date.parse(response.body.data.updated_at)).toBeGreaterThan(Date.parse(response.body.data.created_at));
    const [entry] = await auditFor(target.id);
    expect(entry).toMatchObject({ actorId: boss.id, action: "update_user", targetId: target.id });
    expect(entry?.requestId).toMatch(/\S/);
    expect(JSON.parse(entry?.changes ?? "{}")).toMatchObject({
      role: { before: "student", after: "teacher" },
      first_name: { before: "Test", after: "Ada" },
      email: { before: target.email, after: email },
    });
  });

  it("refuses an admin granting superuser without being one, changing nothing and auditing nothing", async () => {
    const boss = await admin();
    const target = await accountWith("student");
    for (const body of [{ is_superuser: true }, { is_staff: true }, { role: "admin" }]) {
      expectForbidden(await as(boss, "PATCH", `/auth/users/${target.id}/`, body));
    }
    const [row] = await testDb().select().from(users).where(eq(users.id, target.id));
    expect(row).toMatchObject({ role: "student", isStaff: false, isSuperuser: false });
    expect(await auditFor(target.id)).toEqual([]);
  });

  it("refuses an admin changing a superuser's account (else they could take it over)", async () => {
    const top = await superuser();
    expectForbidden(await as(await admin(), "PATCH", `/auth/users/${top.id}/`, { email: "mine@example.com" }));
    expectForbidden(
      await as(await admin(), "POST", `/auth/users/${top.id}/set-password/`, {
        password: "taken-Over-12345",
        password_confirm: "taken-Over-12345",
      }),
    );
  });

  it("lets a superuser grant and revoke privileges", async () => {
    const top = await superuser();
    const target = await accountWith("teacher");
    const grant = await as(top, "PATCH", `/auth/users/${target.id}/`, {
      role: "admin",
      is_staff: true,
      is_superuser: true,
    });
    expect(grant.body.data).toMatchObject({ role: "admin", is_staff: true, is_superuser: true });
    const revoke = await as(top, "PATCH", `/auth/users/${target.id}/`, {
      role: "teacher",
      is_staff: false,
      is_superuser: false,
    });
    expect(revoke.body.data).toMatchObject({ role: "teacher", is_staff: false, is_superuser: false });
  });

  it("refuses a student tampering with another user's id, and with their own role", async () => {
    const student = await accountWith("student");
    const other = await accountWith("student");
    expectForbidden(await as(student, "PATCH", `/auth/users/${other.id}/`, { bio: "pwned" }));
    expectForbidden(await as(student, "PATCH", `/auth/users/${student.id}/`, { role: "teacher" }));
    expectForbidden(await as(await confirmedStaff("teacher"), "PATCH", `/auth/users/${other.id}/`, { bio: "x" }));
    expect(await auditFor(other.id)).toEqual([]);
  });

  it("answers bad values, unknown roles and a taken email with field errors", async () => {
    const boss = await admin();
    const target = await accountWith("student");
    const other = await accountWith("student");
    const bad = expectErrorEnvelope(
      await as(boss, "PATCH", `/auth/users/${target.id}/`, { is_active: "no", email: "x" }),
      400,
    );
    expect(Object.keys(bad).sort()).toEqual(["email", "is_active"]);
    expect(
      expectErrorEnvelope(await as(boss, "PATCH", `/auth/users/${target.id}/`, { role: "wizard" }), 400).role,
    ).toEqual(['"wizard" is not a valid choice.']);
    expect(
      expectErrorEnvelope(await as(boss, "PATCH", `/auth/users/${target.id}/`, { email: other.email }), 400).email,
    ).toEqual(["A user with that email already exists."]);
    expect(await auditFor(target.id)).toEqual([]);
  });

  it("deactivation cuts off the user's live access token, API token and refresh token at once", async () => {
    const drf = await registerAndLoginDrf();
    const login = await api("POST", "/auth/login/", { body: { email: drf.email, password: drf.password } });
    const { access, refresh } = login.body.data;
    expect((await api("GET", "/auth/profile/", { token: access })).status).toBe(200);
    const response = await as(await admin(), "PATCH", `/auth/users/${drf.user.id}/`, { is_active: false });
    expect(response.body.data.is_active).toBe(false);
    expect((await api("GET", "/auth/profile/", { token: access })).status).toBe(401);
    expect((await api("GET", "/api/users/me/", { headers: tokenAuth(drf.token) })).status).toBe(401);
    expect((await api("POST", "/auth/refresh/", { body: { refresh } })).status).toBe(401);
    expect((await api("POST", "/auth/login/", { body: { email: drf.email, password: drf.password } })).status).toBe(
      401,
    );
  });
});

describe("POST /auth/users/{id}/revoke-sessions/ and set-password/", () => {
  it("revoke-sessions signs the user out everywhere, and is audited", async () => {
    const drf = await registerAndLoginDrf();
    const { access } = (await api("POST", "/auth/login/", { body: { email: drf.email, password: drf.password } })).body
      .data;
    const response = await as(await admin(), "POST", `/auth/users/${drf.user.id}/revoke-sessions/`);
    expect(response.status).toBe(200);
    expect((await api("GET", "/auth/profile/", { token: access })).status).toBe(401);
    expect((await api("GET", "/api/users/me/", { headers: tokenAuth(drf.token) })).status).toBe(401);
    const [entry] = await auditFor(drf.user.id);
    expect(entry?.action).toBe("revoke_sessions");
  });

  it("set-password applies the validators, then revokes sessions; the audit holds no hash", async () => {
    const boss = await admin();
    const target = await accountWith("student");
    const weak = expectErrorEnvelope(
      await as(boss, "POST", `/auth/users/${target.id}/set-password/`, { password: "12345678", password_confirm: "1" }),
      400,
    );
    expect(weak.password).toContain("This password is too common.");
    expect(weak.password_confirm).toEqual(["Passwords do not match."]);
    expect(await auditFor(target.id)).toEqual([]);

    const password = "brand-New-secret-81";
    const set = await as(boss, "POST", `/auth/users/${target.id}/set-password/`, {
      password,
      password_confirm: password,
    });
    expect(set.status).toBe(200);
    expect((await api("GET", "/auth/profile/", { token: target.access })).status).toBe(401);
    expect((await api("POST", "/auth/login/", { body: { email: target.email, password } })).status).toBe(200);
    const [entry] = await auditFor(target.id);
    expect(entry?.changes).not.toContain("pbkdf2");
  });
});

describe("DELETE /auth/users/{id}/", () => {
  it("removes the user and their tokens; the audit entry stays", async () => {
    const drf = await registerAndLoginDrf();
    const boss = await admin();
    const response = await as(boss, "DELETE", `/auth/users/${drf.user.id}/`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect((await api("GET", "/api/users/me/", { headers: tokenAuth(drf.token) })).status).toBe(401);
    expect(await testDb().select().from(users).where(eq(users.id, drf.user.id))).toEqual([]);
    const [entry] = await auditFor(drf.user.id);
    expect(entry).toMatchObject({ action: "delete_user", targetEmail: drf.email });
    expect((await as(boss, "GET", `/auth/users/${drf.user.id}/`)).status).toBe(404);
  });

  it("is refused to teachers and students", async () => {
    const student = await accountWith("student");
    expectForbidden(await as(await confirmedStaff("teacher"), "DELETE", `/auth/users/${student.id}/`));
    expectForbidden(await as(student, "DELETE", `/auth/users/${student.id}/`));
  });
});

describe("GET /auth/audit/", () => {
  it("lists entries newest first for admins, filterable by user", async () => {
    const boss = await admin();
    const target = await accountWith("student");
    await as(boss, "PATCH", `/auth/users/${target.id}/`, { bio: "one" });
    await as(boss, "PATCH", `/auth/users/${target.id}/`, { bio: "two" });
    const response = await as(boss, "GET", `/auth/audit/?user_id=${target.id}&limit=10`);
    expect(response.status).toBe(200);
    const { results, pagination } = response.body.data;
    expect(pagination.total).toBe(2);
    expect(results.map((entry: { changes: { bio: { after: string } } }) => entry.changes.bio.after)).toEqual([
      "two",
      "one",
    ]);
    expect(results[0]).toMatchObject({ actor: { id: boss.id }, target: { id: target.id }, action: "update_user" });
  });

  it("is refused to everyone but admins", async () => {
    for (const caller of [
      await accountWith("student"),
      await confirmedStaff("teacher"),
      await confirmedStaff("doctor"),
      await accountWith("patient"),
    ]) {
      expectForbidden(await as(caller, "GET", "/auth/audit/"));
    }
  });

  it("records nothing for a no-op change", async () => {
    const target = await accountWith("student");
    await as(await admin(), "PATCH", `/auth/users/${target.id}/`, { role: "student" });
    expect(await auditFor(target.id)).toEqual([]);
  });
});
