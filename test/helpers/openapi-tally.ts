import { afterAll } from "vitest";
import { tally } from "./openapi";

// A setup file of the worker project: hands each test file's tally to test/openapi-reporter.ts,
// which adds them up on the Node side.
// biome-ignore lint/correctness/noEmptyPattern: vitest reads a hook's fixtures from this pattern.
afterAll(({}, suite) => {
  suite.meta.openApi = { ...tally };
  // The next file may run in this same worker (`isolate: false`): it starts from zero.
  tally.validated = 0;
  tally.skipped = 0;
});
