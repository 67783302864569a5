import { expect, inject } from "vitest";
import { screenshot, test } from "./helpers/browser";

test("/docs renders the API reference from this origin alone, nothing refused by its CSP", async ({ page }) => {
  // Anything asked of another origin fails and is recorded: the page must work with no internet.
  const origin = new URL(inject("baseUrl")).origin;
  const foreign: string[] = [];
  await page.route("**/*", (route) => {
    if (new URL(route.request().url()).origin === origin) return route.continue();
    foreign.push(route.request().url());
    return route.abort();
  });
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  page.on("pageerror", (error) => refused.push(String(error)));

  const response = await page.goto("/docs");
  expect(response?.status()).toBe(200);
  await page.getByRole("heading", { name: /edge-auth/ }).waitFor();
  const health = page.locator(".opblock-summary", { hasText: "/health" });
  await health.click();
  await page.getByText("The Worker answers and its database does too").waitFor();

  expect(foreign).toEqual([]);
  expect(refused).toEqual([]);
  await screenshot(page, "docs");
});
