import { hc } from "hono/client";
import { describe, expect, it } from "vitest";
import type { AppType } from "../../src/app";
import { STRONG_PASSWORD } from "../helpers/api";
import { drfRegistration } from "../helpers/drf";
import { fetchWorker } from "../helpers/fetch-worker";

// The README's example: a client typed by the app's routes, here sending to the Worker under test.
const client = hc<AppType>("http://localhost", { fetch: fetchWorker });

describe("hc<AppType>", () => {
  it("reads /health", async () => {
    const response = await client.health.$get();
    // The status narrows the body to the 200 schema of the route's createRoute().
    if (response.status !== 200) throw new Error(`GET /health: ${response.status}`);
    const body = await response.json();
    expect(body.data.db).toBe("ok");
  });

  it("registers through /api/users/register and logs in through /auth/login, typed both ways", async () => {
    const registration = drfRegistration({ first_name: "Typed", last_name: "Client" });
    const registered = await client.api.users.register.index.$post({ json: registration });
    // As on /health, the status check narrows the body to the 201 schema.
    if (registered.status !== 201) throw new Error(`POST /api/users/register/: ${registered.status}`);
    const user = await registered.json();
    expect(user.first_name).toBe("Typed");

    // A path documented with its trailing slash (`/auth/login/`) ends in `index`, which hc drops.
    const credentials = { email: registration.email, password: STRONG_PASSWORD };
    const login = await client.auth.login.index.$post({ json: credentials });
    if (login.status !== 200) throw new Error(`POST /auth/login/: ${login.status}`);
    const { data } = await login.json();
    expect(data.user).toMatchObject({ id: user.id, fullName: "Typed Client" });
    expect(data.access.split(".")).toHaveLength(3);
  });
});
