import { readFileSync } from "node:fs";
import * as nodeModule from "node:module";

/**
 * Lets Node import `.txt` files the way wrangler's Text module rule bundles them (the default
 * export is the file's text), so scripts can run src/ code such as the password validators as it
 * is. Call it before importing any such module, and import those dynamically: ESM loads a file's
 * whole static import graph before running any of it, so a static import would come too late.
 */
export function registerTextModules(): void {
  // registerHooks (in-thread, synchronous) needs Node 22.15; module.register would need a second
  // file run in a worker thread.
  if (typeof nodeModule.registerHooks !== "function") {
    throw new Error(`Node ${process.version} lacks module.registerHooks: use Node 22.15 or newer`);
  }
  nodeModule.registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith("file:") || !url.endsWith(".txt")) return nextLoad(url, context);
      const text = readFileSync(new URL(url), "utf8");
      return { format: "module", source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
    },
  });
}
