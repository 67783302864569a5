import { describe, expect, it } from "vitest";
import { api, registerAndLogin } from "../helpers/api";

describe("the /auth/ session", () => {
  it("registers, logs in, reads the profile, refreshes, logs out", async () => {
    const session = await registerAndLogin();
    const profile = await api("GET", "/auth/profile/", { token: session.access });
    expect(profile.status).toBe(200);
    expect(profile.body.data).toMatchObject({ email: session.email, is_active: true, is_staff: false });
    const refreshed = await api("POST", "/auth/refresh/", { body: { refresh: session.refresh } });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    // A second tab with the same token, within REFRESH_REUSE_GRACE_SECONDS: the same successor.
    const again = await api("POST", "/auth/refresh/", { body: { refresh: session.refresh } });
    expect(again.body.data.refresh).toBe(refreshed.body.data.refresh);
    const logout = await api("POST", "/auth/logout/", {
      token: refreshed.body.data.access,
      body: { refresh: refreshed.body.data.refresh },
    });
    expect(logout.status, JSON.stringify(logout.body)).toBe(200);
    expect((await api("GET", "/auth/profile/", { token: refreshed.body.data.access })).status).toBe(401);
  });
});
