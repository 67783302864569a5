import * as z from "zod";
import { ApiRouter, createRoute } from "../api-router";
import { ApiError } from "../errors";
import { Binary, drfErrors } from "../schemas/openapi";
import { PICTURE_KEY } from "../services/images";

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

// Only profile pictures are stored, one directory deep: the path names that directory, so the file
// is a path parameter (OpenAPI's cannot hold a slash). Any other name is a 404, as an unknown key is.
const route = createRoute({
  method: "get",
  path: "/profile_pictures/{file}",
  operationId: "getProfilePicture",
  tags: ["Media"],
  summary: "A profile picture, as `profile_picture` links to it",
  description:
    "No authentication. Cacheable forever (a new picture gets a new URL); conditional requests " +
    "(`If-None-Match`, `If-Modified-Since`, `If-Match`, `If-Unmodified-Since`) are answered as RFC 9110 says.",
  request: {
    params: z.object({
      file: z.string().meta({ description: "40 hex digits and the extension", example: `${"0".repeat(40)}.png` }),
    }),
  },
  responses: {
    200: { description: "The picture, typed by its bytes", content: { "image/*": { schema: Binary } } },
    304: { description: "The client's copy is current" },
    ...drfErrors(404, 412),
  },
});

/** Stored profile pictures, with the type decided at upload and conditional GETs answered by R2. */
export const media = new ApiRouter().openapi(route, async (c) => {
  const key = `profile_pictures/${c.req.valid("param").file}`;
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
