import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { PICTURE_KEY } from "../services/pictures";

// Keys are random and never reused, so what a URL serves never changes.
const CACHE_FOREVER = "public, max-age=31536000, immutable";

/**
 * Whether the If-Match or If-Unmodified-Since condition fails, RFC 9110 section 13.2.2 steps 1-2:
 * If-Match (a strong comparison, `*` for any) decides alone when present, else If-Unmodified-Since
 * (whole seconds; a date that does not parse is ignored). These come before If-None-Match.
 */
function failsPrecondition(headers: Headers, object: R2Object): boolean {
  const ifMatch = headers.get("If-Match");
  if (ifMatch !== null) return !ifMatch.split(",").some((tag) => ["*", object.httpEtag].includes(tag.trim()));
  const since = Date.parse(headers.get("If-Unmodified-Since") ?? "");
  return !Number.isNaN(since) && Math.floor(object.uploaded.getTime() / 1000) * 1000 > since;
}

/** Stored profile pictures, with the type decided at upload and conditional GETs answered by R2. */
export const media = new Hono<AppEnv>().get("/:key{.+}", async (c) => {
  const key = c.req.param("key");
  const notFound = new ApiError("NOT_FOUND", { message: "Not found." });
  if (!PICTURE_KEY.test(key)) throw notFound;
  const object = await c.var.services.bucket.get(key, { onlyIf: c.req.raw.headers });
  if (!object) throw notFound;
  const headers = new Headers({
    ETag: object.httpEtag,
    "Cache-Control": CACHE_FOREVER,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
  });
  object.writeHttpMetadata(headers);
  if (!("body" in object)) {
    // Without a body, R2 found a condition false without saying which: a failed If-Match or
    // If-Unmodified-Since is a 412, else the client's copy is current (If-None-Match, If-Modified-Since).
    if (failsPrecondition(c.req.raw.headers, object)) {
      throw new ApiError("PRECONDITION_FAILED", { message: "Precondition failed." });
    }
    return new Response(null, { status: 304, headers });
  }
  return new Response(object.body, { headers });
});
