import { describe, expect, it } from "vitest";
import { Config } from "../../src/env";

const REQUIRED = { JWT_SECRET: "x".repeat(32), DATABASE_URL: "https://user:pass@db.example" };

describe("Config STAFF_SCOPES", () => {
  it("defaults to teachers looking after students and doctors after patients", () => {
    expect(Config.parse(REQUIRED).STAFF_SCOPES).toEqual({ teacher: ["student"], doctor: ["patient"] });
  });

  it("reads staff:role pairs, a staff role may look after several roles", () => {
    const config = Config.parse({ ...REQUIRED, STAFF_SCOPES: "teacher:student, nurse:patient,teacher:parent" });
    expect(config.STAFF_SCOPES).toEqual({ teacher: ["student", "parent"], nurse: ["patient"] });
  });

  it("refuses entries that are not pairs", () => {
    expect(Config.safeParse({ ...REQUIRED, STAFF_SCOPES: "teacher" }).success).toBe(false);
  });
});

describe("Config ADMIN_SESSION_MAX_SECONDS", () => {
  it("defaults to 12 hours and refuses less than a minute", () => {
    expect(Config.parse(REQUIRED).ADMIN_SESSION_MAX_SECONDS).toBe(43_200);
    expect(Config.parse({ ...REQUIRED, ADMIN_SESSION_MAX_SECONDS: "3600" }).ADMIN_SESSION_MAX_SECONDS).toBe(3600);
    expect(Config.safeParse({ ...REQUIRED, ADMIN_SESSION_MAX_SECONDS: "59" }).success).toBe(false);
  });
});

describe("Config attempt limits and breach check", () => {
  it("default to 5 per pair and 10 per account in 15 minutes, 50 per address, 20 registrations an hour", () => {
    const config = Config.parse(REQUIRED);
    expect(config).toMatchObject({
      LOGIN_PAIR_MAX_FAILURES: 5,
      LOGIN_PAIR_WINDOW_SECONDS: 900,
      LOGIN_ACCOUNT_MAX_FAILURES: 10,
      LOGIN_ACCOUNT_WINDOW_SECONDS: 900,
      LOGIN_ACCOUNT_MAX_BACKOFF_SECONDS: 900,
      LOGIN_KNOWN_ADDRESS_SECONDS: 30 * 86_400,
      LOGIN_ADDRESS_MAX_FAILURES: 50,
      LOGIN_ADDRESS_WINDOW_SECONDS: 900,
      REGISTRATION_MAX_PER_ADDRESS: 20,
      REGISTRATION_WINDOW_SECONDS: 3600,
      PWNED_PASSWORDS_URL: "https://api.pwnedpasswords.com/range/",
      BREACHED_PASSWORD_CHECK: "on",
    });
  });

  it("refuses a breach-check mode it does not know, and a range URL that is not http(s)", () => {
    expect(Config.safeParse({ ...REQUIRED, BREACHED_PASSWORD_CHECK: "maybe" }).success).toBe(false);
    expect(Config.safeParse({ ...REQUIRED, PWNED_PASSWORDS_URL: "ftp://example.com/range/" }).success).toBe(false);
    expect(Config.safeParse({ ...REQUIRED, LOGIN_PAIR_MAX_FAILURES: "0" }).success).toBe(false);
  });
});

describe("Config signing keys", () => {
  const KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

  it("defaults to HS256 with a 600-second publish delay, and needs no key encryption key then", () => {
    expect(Config.parse(REQUIRED)).toMatchObject({ JWT_ALGORITHM: "HS256", JWT_KEY_PUBLISH_SECONDS: 600 });
    expect(Config.parse(REQUIRED).JWT_KEY_ENCRYPTION_KEY).toBeUndefined();
  });

  it("needs 32 base64 bytes of JWT_KEY_ENCRYPTION_KEY for ES256 and EdDSA, and a delay of 300 s at least", () => {
    expect(
      Config.parse({ ...REQUIRED, JWT_ALGORITHM: "ES256", JWT_KEY_ENCRYPTION_KEY: KEY }).JWT_KEY_ENCRYPTION_KEY,
    ).toHaveLength(32);
    expect(Config.safeParse({ ...REQUIRED, JWT_ALGORITHM: "EdDSA" }).error?.issues[0]?.message).toBe(
      "JWT_KEY_ENCRYPTION_KEY is required with JWT_ALGORITHM EdDSA",
    );
    expect(Config.safeParse({ ...REQUIRED, JWT_KEY_ENCRYPTION_KEY: KEY.slice(4) }).success).toBe(false);
    expect(Config.safeParse({ ...REQUIRED, JWT_ALGORITHM: "RS256", JWT_KEY_ENCRYPTION_KEY: KEY }).success).toBe(false);
    expect(Config.safeParse({ ...REQUIRED, JWT_KEY_PUBLISH_SECONDS: "299" }).success).toBe(false);
  });
});

describe("Config mail", () => {
  it("defaults to the console transport, 1-hour reset and 1-day verification links, verification not required", () => {
    expect(Config.parse(REQUIRED)).toMatchObject({
      MAIL_TRANSPORT: "console",
      APP_NAME: "edge-auth",
      PASSWORD_RESET_TTL: 3600,
      EMAIL_VERIFICATION_TTL: 86_400,
      REQUIRE_EMAIL_VERIFICATION: false,
      MAIL_REQUEST_MAX_PER_ACCOUNT: 3,
      MAIL_REQUEST_MAX_PER_ADDRESS: 20,
    });
  });

  it("takes link templates with {token} that are http(s) URLs, and refuses others", () => {
    expect(Config.parse({ ...REQUIRED, PASSWORD_RESET_URL: "" }).PASSWORD_RESET_URL).toBeUndefined();
    const template = "https://app.example.com/reset/{uid}/{token}";
    expect(Config.parse({ ...REQUIRED, PASSWORD_RESET_URL: template }).PASSWORD_RESET_URL).toBe(template);
    for (const PASSWORD_RESET_URL of ["https://app.example.com/reset", "javascript:{token}"]) {
      expect(Config.safeParse({ ...REQUIRED, PASSWORD_RESET_URL }).success, PASSWORD_RESET_URL).toBe(false);
    }
  });

  it("requires PUBLIC_URL once mail leaves the Worker, and MAIL_API_KEY for http", () => {
    const problems = (vars: Record<string, string>) =>
      Config.safeParse({ ...REQUIRED, ...vars }).error?.issues.map((issue) => issue.path.join(".")) ?? [];
    expect(problems({ MAIL_TRANSPORT: "cloudflare" })).toEqual(["PUBLIC_URL"]);
    expect(problems({ MAIL_TRANSPORT: "http", PUBLIC_URL: "https://a.example" })).toEqual(["MAIL_API_KEY"]);
    expect(problems({ MAIL_TRANSPORT: "console" })).toEqual([]);
  });
});
