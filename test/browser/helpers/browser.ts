import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { test as base, inject } from "vitest";
import { launchChromium } from "./chromium";

/** Git-ignored; each run overwrites the pictures it takes, so a person can look at them after. */
export const SCREENSHOTS_DIR = fileURLToPath(new URL("../../screenshots/", import.meta.url));

/** Saves a full-page PNG of what the page shows now as test/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w-]+$/.test(name)) throw new Error(`Screenshot names are letters, digits, - and _: "${name}"`);
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = `${SCREENSHOTS_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * `test` with a Chromium per file and a fresh context and page per test (own cookies and storage),
 * whose relative URLs resolve against the Worker that global-setup.ts serves:
 * `test("...", async ({ page }) => { await page.goto("/admin/"); })`. A failing test leaves a
 * screenshot named after it.
 */
export const test = base
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  .extend("browser", { scope: "file" }, async ({}, { onCleanup }) => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend("page", async ({ browser, task }, { onCleanup }) => {
    const context = await browser.newContext({ baseURL: inject("baseUrl") });
    const page = await context.newPage();
    // Cleanup runs before onTestFailed handlers, by which time the page would be gone.
    onCleanup(async () => {
      try {
        if (task.result?.state === "fail")
          await screenshot(page, `failed-${task.name.replace(/\W+/g, "-").slice(0, 80)}`);
      } finally {
        await context.close();
      }
    });
    return page;
  });
