import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { auditLog } from "../../src/db/schema";
import { admin, as } from "../helpers/admin";
import { createUser, signedIn, userRow } from "../helpers/admin-site";
import { api, expectErrorEnvelope, registerAndLogin, testDb, uniqueEmail } from "../helpers/api";
import { mailTo, tokenIn } from "../helpers/mail";

const auditOf = (targetId: number, action: string) =>
  testDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, targetId), eq(auditLog.action, action)));
const resetsTo = (email: string) => mailTo(email).filter((mail) => mail.subject.startsWith("Reset your password"));

describe("POST /auth/users/{id}/send-password-reset/", () => {
  it("mails the user a reset link, audited, for admins only", async () => {
    const [actor, target, student] = [await admin(), await registerAndLogin(), await registerAndLogin()];
    const path = `/auth/users/${target.user.id}/send-password-reset/`;
    expect(expectErrorEnvelope(await api("POST", path, { token: student.access }), 403)).toBeDefined();
    const sent = await api("POST", path, { token: actor.access, settle: true });
    expect(sent.body).toEqual({ success: true, message: "Password reset link sent" });
    expect(resetsTo(target.email)).toHaveLength(1);
    expect(await auditOf(target.user.id, "send_password_reset")).toHaveLength(1);
    const admins = await as(actor, "GET", `/auth/users/${target.user.id}/`);
    expect(admins.body.data.email_verified).toBe(false);
  });
});

describe("an administrator's email change", () => {
  it("starts the new address unverified and leaves links sent to the old one useless", async () => {
    const [actor, target] = [await admin(), await registerAndLogin()];
    await api("POST", "/auth/password-reset/", { body: { email: target.email }, settle: true });
    const token = tokenIn(resetsTo(target.email)[0] as ReturnType<typeof mailTo>[0]);
    const email = uniqueEmail("renamed");
    const patched = await as(actor, "PATCH", `/auth/users/${target.user.id}/`, { email });
    expect(patched.body.data).toMatchObject({ email, email_verified: false });
    const body = { token, new_password: "unused-Reset-pass-3", new_password_confirm: "unused-Reset-pass-3" };
    expect((await api("POST", "/auth/password-reset/confirm/", { body })).status).toBe(400);
  });
});

describe("the admin site's mail actions", () => {
  it("sends a password reset link and marks an address verified, both audited", async () => {
    const { browser } = await signedIn();
    const user = await createUser();
    const path = `/admin/users/${user.id}`;
    const before = await browser.get(path);
    expect(before.html).toContain("Send password reset link</button>");
    expect(before.html).toContain("Mark verified</button>");
    expect((await browser.submit(path, `${path}/send-password-reset`, {})).status).toBe(303);
    await vi.waitFor(() => expect(resetsTo(user.email)).toHaveLength(1), { timeout: 5000 });
    expect((await browser.submit(path, `${path}/mark-verified`, {})).status).toBe(303);
    expect((await userRow(user.id))?.emailVerifiedAt).not.toBeNull();
    expect(await auditOf(user.id, "verify_email")).toHaveLength(1);
    expect(await auditOf(user.id, "send_password_reset")).toHaveLength(1);
    expect((await browser.get(path)).html).not.toContain("Mark verified</button>");
  });
});
