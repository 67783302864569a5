import { describe, expect, it } from "vitest";
import { api, apiRaw, expectErrorEnvelope, registrationBody, uniqueEmail } from "../helpers/api";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const register = (body: unknown, path = "/auth/register/") => api("POST", path, { body });

describe("POST /auth/register/ (happy)", () => {
  it("answers 201 with exactly the documented body", async () => {
    const body = registrationBody({ fullName: "Nguyen Van A" });
    const response = await register(body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toEqual({
      success: true,
      data: {
        id: expect.any(Number),
        email: body.email,
        fullName: "Nguyen Van A",
        role: "student",
        bio: "",
        profile_picture: null,
        created_at: expect.stringMatching(ISO_UTC),
        last_login: null,
      },
      message: "User registered successfully",
    });
    // A connection outside UTC would shift created_at by hours.
    expect(Math.abs(Date.parse(response.body.data.created_at) - Date.now())).toBeLessThan(60_000);
  });

  it("serves the path with and without the trailing slash", async () => {
    expect((await register(registrationBody(), "/auth/register")).status).toBe(201);
    expect((await register(registrationBody(), "/auth/register/")).status).toBe(201);
  });

  it("stores the email and full name trimmed", async () => {
    const email = uniqueEmail();
    const response = await register(registrationBody({ email: `  ${email}  `, fullName: "  Jane Doe  " }));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.data).toMatchObject({ email, fullName: "Jane Doe" });
    const login = await api("POST", "/auth/login/", { body: { email, password: registrationBody().password } });
    expect(login.status).toBe(200);
  });

  it("accepts the other documented roles but admin", async () => {
    expect((await register(registrationBody({ role: "teacher" }))).body.data.role).toBe("teacher");
  });
});

describe("POST /auth/register/ (duplicates)", () => {
  it("refuses a taken email with 400 and errors.email", async () => {
    const body = registrationBody();
    expect((await register(body)).status).toBe(201);
    const errors = expectErrorEnvelope(await register(body), 400);
    expect(errors.email).toEqual([expect.any(String)]);
  });

  it("refuses an email that differs from a taken one only in case", async () => {
    const body = registrationBody();
    expect((await register(body)).status).toBe(201);
    const errors = expectErrorEnvelope(await register({ ...body, email: body.email.toUpperCase() }), 400);
    expect(errors.email).toBeDefined();
  });

  it("lets exactly one of two concurrent registrations of one email win, the other a field error", async () => {
    const body = registrationBody();
    const responses = await Promise.all([register(body), register({ ...body, email: body.email.toUpperCase() })]);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 400]);
    const loser = responses.find((response) => response.status === 400);
    if (!loser) throw new Error("no loser");
    expect(expectErrorEnvelope(loser, 400).email).toBeDefined();
  });
});

describe("POST /auth/register/ (field errors)", () => {
  it("refuses a password_confirm that differs from the password", async () => {
    const errors = expectErrorEnvelope(await register(registrationBody({ password_confirm: "another-Pass-77" })), 400);
    expect(errors.password_confirm).toEqual(["Passwords do not match."]);
    expect(errors.password).toBeUndefined();
  });

  it("refuses a missing role", async () => {
    const { role: _role, ...body } = registrationBody();
    expect(expectErrorEnvelope(await register(body), 400).role).toEqual(["This field is required."]);
  });

  it("refuses an unknown role", async () => {
    expect(expectErrorEnvelope(await register(registrationBody({ role: "wizard" })), 400).role).toEqual([
      '"wizard" is not a valid choice.',
    ]);
  });

  it("refuses to let anyone register as admin", async () => {
    const body = registrationBody({ role: "admin" });
    expect(expectErrorEnvelope(await register(body), 400).role).toHaveLength(1);
    const login = await api("POST", "/auth/login/", { body: { email: body.email, password: body.password } });
    expect(login.status).toBe(401);
  });

  it("refuses a malformed email", async () => {
    const errors = expectErrorEnvelope(await register(registrationBody({ email: "not-an-email" })), 400);
    expect(errors.email).toEqual(["Enter a valid email address."]);
  });

  it("refuses a full name over 255 characters", async () => {
    const errors = expectErrorEnvelope(await register(registrationBody({ fullName: "a".repeat(256) })), 400);
    expect(errors.fullName).toEqual(["Ensure this field has no more than 255 characters."]);
  });

  it("refuses a blank full name once trimmed", async () => {
    expect(expectErrorEnvelope(await register(registrationBody({ fullName: "   " })), 400).fullName).toBeDefined();
  });

  it("reports every missing field at once", async () => {
    const errors = expectErrorEnvelope(await register({}), 400);
    expect(Object.keys(errors).sort()).toEqual(["email", "fullName", "password", "password_confirm", "role"]);
  });
});

describe("POST /auth/register/ (weak passwords)", () => {
  const weak = async (password: string, overrides: Record<string, unknown> = {}) =>
    expectErrorEnvelope(await register(registrationBody({ password, password_confirm: password, ...overrides })), 400)
      .password;

  it("refuses a password under 8 characters", async () => {
    expect(await weak("Xq7!pz")).toContain("This password is too short. It must contain at least 8 characters.");
  });

  it("refuses an entirely numeric password", async () => {
    expect(await weak("8405729163")).toContain("This password is entirely numeric.");
  });

  it("refuses a common password", async () => {
    expect(await weak("password123")).toContain("This password is too common.");
  });

  it("refuses a password too similar to the email", async () => {
    const email = uniqueEmail("marguerite");
    const localPart = email.split("@")[0] ?? "";
    expect(await weak(localPart, { email })).toContain("The password is too similar to the email address.");
  });
});

describe("POST /auth/register/ (malformed requests)", () => {
  it("answers malformed JSON with 400 INVALID_JSON in the envelope", async () => {
    const response = await apiRaw("POST", "/auth/register/", '{"email": ', "application/json");
    expectErrorEnvelope(response, 400);
    expect(response.body.code).toBe("INVALID_JSON");
  });

  it("answers a text/plain body with 415 in the envelope", async () => {
    const response = await apiRaw("POST", "/auth/register/", JSON.stringify(registrationBody()), "text/plain");
    expectErrorEnvelope(response, 415);
  });

  it.each([["[]"], ['"x"'], ["null"], ["42"]])("answers the non-object body %s with 400, not 500", async (raw) => {
    expectErrorEnvelope(await apiRaw("POST", "/auth/register/", raw, "application/json"), 400);
  });

  it("answers GET with 405 in the envelope", async () => {
    const response = await api("GET", "/auth/register/");
    expectErrorEnvelope(response, 405);
    expect(response.headers.get("Allow")).toContain("POST");
  });
});
