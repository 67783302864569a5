import { describe, expect, it } from "vitest";
import { API_KEY_PATTERN, digestApiKey, generateApiKey } from "../../src/services/api-tokens";

describe("generateApiKey", () => {
  it("makes 40 lower-case hex characters, as DRF's authtoken does", () => {
    expect(generateApiKey()).toMatch(API_KEY_PATTERN);
  });

  it("never repeats itself", () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
  });
});

describe("digestApiKey", () => {
  it("is the SHA-256 of the key, hex", async () => {
    // printf '%s' 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b | sha256sum
    expect(await digestApiKey("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b")).toBe(
      "5cc1e9113bbaa7040c4e0fbe80ea6aa743e34add380c596abe5fe584ece883ec",
    );
  });
});
