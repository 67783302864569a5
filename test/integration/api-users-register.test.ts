import { describe, expect, it } from "vitest";
import { api, apiRaw, uniqueEmail } from "../helpers/api";
import { drfRegistration, expectDetail, expectFieldErrors } from "../helpers/drf";

const register = (body: unknown) => api("POST", "/api/users/register/", { body });

describe("POST /api/users/register/ (happy)", () => {
  it("answers 201 with exactly the document's user fields", async () => {
    const body = drfRegistration();
    const response = await register(body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(Number),
      email: body.email,
      first_name: "John",
      last_name: "Doe",
      role: "patient",
      profile_picture: null,
      bio: "Patient bio here",
    });
  });

  it("takes names and bio as optional, as Django's blank=True fields are", async () => {
    const { first_name, last_name, bio, ...required } = drfRegistration({ role: "doctor" });
    const response = await register(required);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({ first_name: "", last_name: "", bio: "", role: "doctor" });
  });

  it("ignores fields a client may not set: flags, id, picture", async () => {
    const response = await register(
      drfRegistration({ is_staff: true, is_superuser: true, id: 1, profile_picture: "http://evil.example/x.png" }),
    );
    expect(response.status).toBe(201);
    expect(response.body.profile_picture).toBeNull();
    expect(response.body.id).not.toBe(1);
  });
});

describe("POST /api/users/register/ (errors, DRF-shaped)", () => {
  it("names every missing required field", async () => {
    const errors = expectFieldErrors(await register({}));
    for (const field of ["email", "password", "password_confirm", "role"]) {
      expect(errors[field]).toEqual(["This field is required."]);
    }
  });

  it("refuses a taken email, whatever its case", async () => {
    const body = drfRegistration();
    expect((await register(body)).status).toBe(201);
    const again = await register(drfRegistration({ email: body.email.toUpperCase() }));
    expect(expectFieldErrors(again).email).toEqual(["A user with that email already exists."]);
  });

  it("applies the same password rules as /auth/register/", async () => {
    const errors = expectFieldErrors(
      await register(drfRegistration({ password: "1234567", password_confirm: "1234567" })),
    );
    expect(errors.password).toContain("This password is too short. It must contain at least 8 characters.");
    expect(errors.password).toContain("This password is entirely numeric.");
  });

  it("refuses passwords that do not match", async () => {
    const errors = expectFieldErrors(await register(drfRegistration({ password_confirm: "another-Secret-42" })));
    expect(errors.password_confirm).toEqual(["Passwords do not match."]);
  });

  it("refuses a self-granted admin role and unknown roles", async () => {
    expect(expectFieldErrors(await register(drfRegistration({ role: "admin" }))).role).toEqual([
      'You cannot register with the role "admin".',
    ]);
    expect(expectFieldErrors(await register(drfRegistration({ role: "wizard" }))).role).toEqual([
      '"wizard" is not a valid choice.',
    ]);
  });

  it("refuses malformed values field by field", async () => {
    const errors = expectFieldErrors(
      await register(drfRegistration({ email: "not-an-email", first_name: "x".repeat(151), bio: 42 })),
    );
    expect(errors.email).toEqual(["Enter a valid email address."]);
    expect(errors.first_name).toEqual(["Ensure this field has no more than 150 characters."]);
    expect(errors.bio).toEqual(["Not a valid string."]);
  });

  it("answers malformed JSON and other media types with DRF's detail", async () => {
    expectDetail(await apiRaw("POST", "/api/users/register/", "{not json", "application/json"), 400);
    const form = `email=${encodeURIComponent(uniqueEmail())}`;
    expect(expectDetail(await apiRaw("POST", "/api/users/register/", form, "text/plain"), 415)).toBe(
      'Unsupported media type "text/plain" in request.',
    );
  });

  it("answers an unknown path and a wrong method with DRF's detail", async () => {
    expect(expectDetail(await api("GET", "/api/users/nowhere/"), 404)).toBe("Not found.");
    const wrongMethod = await api("GET", "/api/users/register/");
    expect(expectDetail(wrongMethod, 405)).toBe('Method "GET" not allowed.');
    expect(wrongMethod.headers.get("Allow")).toContain("POST");
  });
});
