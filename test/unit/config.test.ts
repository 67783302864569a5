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
