import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema";
import { updateUser } from "../../src/db/users";
import { accountWith, admin, as, confirmedStaff, superuser } from "../helpers/admin";
import { userRow } from "../helpers/admin-site";
import { api, expectErrorEnvelope, registrationBody, testDb } from "../helpers/api";
import { drfRegistration, tokenAuth } from "../helpers/drf";

const FORBIDDEN = { detail: ["You do not have permission to perform this action."] };
const expectForbidden = (response: Awaited<ReturnType<typeof api>>) =>
  expect(expectErrorEnvelope(response, 403)).toEqual(FORBIDDEN);

const auditFor = (targetId: number) =>
  testDb().select().from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.id);

const REGISTRATIONS = ["/auth/register/", "/api/users/register/"] as const;

/** A staff role as an anonymous visitor gets it: registered through either document, then logged in. */
async function selfRegistered(role: string, via: (typeof REGISTRATIONS)[number]) {
  if (via === "/auth/register/") {
    const body = registrationBody({ role });
    const registered = await api("POST", via, { body });
    expect(registered.status).toBe(201);
    expect(registered.body.data.role).toBe(role);
    const login = await api("POST", "/auth/login/", { body: { email: body.email, password: body.password } });
    return { id: registered.body.data.id as number, headers: { Authorization: `Bearer ${login.body.data.access}` } };
  }
  const body = drfRegistration({ role });
  const registered = await api("POST", via, { body });
  expect(registered.status).toBe(201);
  expect(registered.body.role).toBe(role);
  const login = await api("POST", "/api/users/login/", { body: { email: body.email, password: body.password } });
  return { id: registered.body.id as number, headers: tokenAuth(login.body.token) };
}

type Visitor = Awaited<ReturnType<typeof selfRegistered>>;
const get = (visitor: Visitor, path: string) => api("GET", path, { headers: visitor.headers });
const rolesListed = async (visitor: Visitor) =>
  new Set((await get(visitor, "/auth/users/?limit=100")).body.data.results.map((user: { role: string }) => user.role));

describe("a staff role chosen at registration", () => {
  it.each(REGISTRATIONS)(
    "gives a doctor registered through %s no list and no patient, only themselves",
    async (via) => {
      const patient = await accountWith("patient");
      const doctor = await selfRegistered("doctor", via);
      expectForbidden(await get(doctor, "/auth/users/"));
      expectForbidden(await get(doctor, `/auth/users/${patient.id}/`));
      expect((await get(doctor, `/auth/users/${doctor.id}/`)).status).toBe(200);
    },
  );

  it("still registers and echoes a teacher, who sees no student until confirmed", async () => {
    const student = await accountWith("student");
    const teacher = await selfRegistered("teacher", "/api/users/register/");
    expectForbidden(await get(teacher, `/auth/users/${student.id}/`));
    expect((await userRow(teacher.id))?.roleConfirmedAt).toBeNull();
  });
});

describe("POST /auth/users/{id}/confirm-role/", () => {
  it("lets an admin confirm a doctor, who then lists and views patients; the confirmation is audited", async () => {
    const boss = await admin();
    const patient = await accountWith("patient");
    const doctor = await selfRegistered("doctor", "/auth/register/");
    const confirmed = await as(boss, "POST", `/auth/users/${doctor.id}/confirm-role/`);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({
      success: true,
      message: "Role confirmed",
      data: { id: doctor.id, role: "doctor", role_confirmed_by: boss.id },
    });
    expect(Date.parse(confirmed.body.data.role_confirmed_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(await rolesListed(doctor)).toEqual(new Set(["patient"]));
    expect((await get(doctor, `/auth/users/${patient.id}/`)).status).toBe(200);
    const [entry, ...more] = await auditFor(doctor.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actorId: boss.id, action: "confirm_role", targetId: doctor.id });
    expect(entry?.requestId).toMatch(/\S/);
    expect(JSON.parse(entry?.changes ?? "{}")).toEqual({
      role_confirmed_at: { before: null, after: confirmed.body.data.role_confirmed_at },
      role_confirmed_by: { before: null, after: boss.id },
    });
  });

  it("refuses a student, a confirmed teacher and the doctor themselves, and records nothing", async () => {
    const doctor = await selfRegistered("doctor", "/api/users/register/");
    for (const caller of [await accountWith("student"), await confirmedStaff("teacher")]) {
      expectForbidden(await as(caller, "POST", `/auth/users/${doctor.id}/confirm-role/`));
    }
    expectForbidden(await api("POST", `/auth/users/${doctor.id}/confirm-role/`, { headers: doctor.headers }));
    expect((await userRow(doctor.id))?.roleConfirmedAt).toBeNull();
    expect(await auditFor(doctor.id)).toEqual([]);
    expect((await api("POST", `/auth/users/${doctor.id}/confirm-role/`)).status).toBe(401);
  });

  it("leaves a privileged user's role to superusers, as the other administration actions do", async () => {
    const stafferDoctor = await accountWith("doctor", { isStaff: true });
    expectForbidden(await as(await admin(), "POST", `/auth/users/${stafferDoctor.id}/confirm-role/`));
    expect((await as(await superuser(), "POST", `/auth/users/${stafferDoctor.id}/confirm-role/`)).status).toBe(200);
  });

  it("answers 409 for a role with nothing to confirm, and records a second confirmation as nothing", async () => {
    const boss = await admin();
    const patient = await accountWith("patient");
    expect(expectErrorEnvelope(await as(boss, "POST", `/auth/users/${patient.id}/confirm-role/`), 409)).toBeDefined();
    const doctor = await accountWith("doctor");
    expect((await as(boss, "POST", `/auth/users/${doctor.id}/confirm-role/`)).status).toBe(200);
    const again = await as(await admin(), "POST", `/auth/users/${doctor.id}/confirm-role/`);
    expect(again.body.data.role_confirmed_by).toBe(boss.id);
    expect((await auditFor(doctor.id)).map((entry) => entry.action)).toEqual(["confirm_role"]);
    expect(expectErrorEnvelope(await as(boss, "POST", "/auth/users/999999999/confirm-role/"), 404)).toBeDefined();
  });
});

describe("a role change", () => {
  it("made by an admin through PATCH is confirmed by that admin, and the audit says so", async () => {
    const boss = await admin();
    const patient = await accountWith("patient");
    const target = await accountWith("student");
    const response = await as(boss, "PATCH", `/auth/users/${target.id}/`, { role: "doctor" });
    expect(response.body.data).toMatchObject({ role: "doctor", role_confirmed_by: boss.id });
    expect((await as(target, "GET", `/auth/users/${patient.id}/`)).status).toBe(200);
    const [entry] = await auditFor(target.id);
    expect(JSON.parse(entry?.changes ?? "{}")).toMatchObject({
      role: { before: "student", after: "doctor" },
      role_confirmed_by: { before: null, after: boss.id },
    });
  });

  it("leaves a confirmation alone when the role stays as it is", async () => {
    const doctor = await confirmedStaff("doctor");
    const before = await userRow(doctor.id);
    await as(await admin(), "PATCH", `/auth/users/${doctor.id}/`, { role: "doctor", bio: "still a doctor" });
    expect(await userRow(doctor.id)).toMatchObject({ roleConfirmedAt: before?.roleConfirmedAt, bio: "still a doctor" });
  });

  it("written without saying who confirmed it is unconfirmed: a confirmation vouches for one role", async () => {
    const doctor = await confirmedStaff("doctor");
    await updateUser(testDb(), doctor.id, { role: "teacher" });
    expect(await userRow(doctor.id)).toMatchObject({ role: "teacher", roleConfirmedAt: null, roleConfirmedBy: null });
    expectForbidden(await as(doctor, "GET", "/auth/users/"));
  });
});
