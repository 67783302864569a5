// Node's side of pictures: Django's files under --media-root, and our R2 bucket through
// `wrangler r2 object put` (local state for a local database, the real bucket for PlanetScale).
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve, sep } from "node:path";
import type { MediaDeps } from "./picture-import";

const BUCKET = "edge-auth-media";

function put(key: string, bytes: Uint8Array, contentType: string, where: string[]): Promise<void> {
  const args = ["r2", "object", "put", `${BUCKET}/${key}`, "--pipe", "--content-type", contentType, ...where];
  const child = spawn("node_modules/.bin/wrangler", args, { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  child.stdin.end(bytes);
  return new Promise((done, fail) =>
    child.on("close", (code) => (code === 0 ? done() : fail(new Error(`wrangler r2 object put ${key}: ${stderr}`)))),
  );
}

/**
 * Reads pictures from `mediaRoot` (never outside it: Django's paths are relative) and stores them
 * with wrangler: `--local` (state in `persistTo`) or `--remote`.
 */
export function wranglerMedia(mediaRoot: string, target: { remote: boolean; persistTo?: string }): MediaDeps {
  const root = resolve(mediaRoot);
  const where = target.remote
    ? ["--remote"]
    : ["--local", ...(target.persistTo ? ["--persist-to", target.persistTo] : [])];
  return {
    async read(path) {
      const file = resolve(root, path);
      if (!file.startsWith(root + sep)) return undefined;
      return readFile(file).then(
        (buffer) => new Uint8Array(buffer),
        () => undefined,
      );
    },
    store: (key, bytes, contentType) => put(key, bytes, contentType, where),
  };
}
