import { describe, expect, it } from "vitest";
import { fetchWorker } from "../helpers/fetch-worker";

describe("GET /health", () => {
  it("answers 200 after a query through Drizzle reaches MySQL", async () => {
    const response = await fetchWorker("http://example.com/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true, data: { db: "ok" } });
  });
});
