import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { KV_PREFIXES } from "../../src/kv";

describe("the README's KV table", () => {
  it("lists exactly the key prefixes that src/kv.ts defines", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const section = readme.slice(
      readme.indexOf("### KV keys"),
      readme.indexOf("\n### ", readme.indexOf("### KV keys") + 1),
    );
    // The first cell of each row: `prefix<what follows>`.
    const listed = [...section.matchAll(/^\| `([a-z:]+:)</gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual(Object.values(KV_PREFIXES).sort());
  });
});
