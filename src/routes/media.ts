import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { PICTURE_KEY } from "../services/pictures";

// Keys are random and never reused, so what a URL serves never changes.
const CACHE_FOREVER = "public, max-age=31536000, immutable";

/** Stored profile pictures, with the type decided at upload and conditional GETs answered by R2. */
export const media = new Hono<AppEnv>().get("/:key{.+}", async (c) => {
  const key = c.req.param("key");
  const notFound = new ApiError("NOT_FOUND", { message: "Not found." });
  if (!PICTURE_KEY.test(key)) throw notFound;
  const object = await c.env.MEDIA.get(key, { onlyIf: c.req.raw.headers });
  if (!object) throw notFound;
  const headers = new Headers({
    ETag: object.httpEtag,
    "Cache-Control": CACHE_FOREVER,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
  });
  object.writeHttpMetadata(headers);
  // Without a body, R2 found the client's copy current (If-None-Match).
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  return new Response(object.body, { headers });
});
