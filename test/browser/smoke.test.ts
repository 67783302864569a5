import { expect } from "vitest";
import { screenshot, test } from "./helpers/browser";

test("shows /health from wrangler dev, backed by MariaDB through the PlanetScale-protocol server", async ({ page }) => {
  const response = await page.goto("/health");
  expect(response?.status()).toBe(200);
  const shown = await page.locator("pre").textContent();
  expect(JSON.parse(shown ?? "")).toEqual({ success: true, data: { db: "ok" } });
  await screenshot(page, "health");
});
