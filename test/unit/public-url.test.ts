import { describe, expect, it } from "vitest";
import { Config } from "../../src/env";

const REQUIRED = { JWT_SECRET: "x".repeat(32), DATABASE_URL: "https://user:pass@db.example" };

describe("Config PUBLIC_URL", () => {
  it("is unset when absent or empty, as wrangler.toml ships it", () => {
    expect(Config.parse(REQUIRED).PUBLIC_URL).toBeUndefined();
    expect(Config.parse({ ...REQUIRED, PUBLIC_URL: "" }).PUBLIC_URL).toBeUndefined();
  });

  it("keeps an http(s) URL without its trailing slashes, so paths join onto it", () => {
    expect(Config.parse({ ...REQUIRED, PUBLIC_URL: "https://auth.example.com/v1//" }).PUBLIC_URL).toBe(
      "https://auth.example.com/v1",
    );
  });

  it("refuses anything else", () => {
    for (const PUBLIC_URL of ["auth.example.com", "ftp://auth.example.com"]) {
      expect(Config.safeParse({ ...REQUIRED, PUBLIC_URL }).success, PUBLIC_URL).toBe(false);
    }
  });
});
