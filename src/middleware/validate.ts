import { zValidator } from "@hono/zod-validator";
import { createMiddleware } from "hono/factory";
import type { ValidationTargets } from "hono/types";
import type { z } from "zod";
import { unsupportedMediaType, validationError } from "../errors";
import { toFieldErrors } from "../schemas/messages";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * `zValidator` whose failures are thrown, so a 400 renders like every other error. A JSON body
 * sent with another media type is refused with 415 rather than validated as empty; an optional
 * body left out altogether (no `Content-Type`) is validated as `{}`.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
  { optionalBody = false } = {},
) {
  const validator = zValidator(target, schema, (result) => {
    if (!result.success) throw validationError(toFieldErrors(result.error));
  });
  if (target !== "json") return validator;
  return createMiddleware(async (c, next) => {
    const contentType = c.req.header("Content-Type");
    const mediaType = contentType?.split(";")[0]?.trim() ?? "";
    if (!JSON_MEDIA_TYPE.test(mediaType) && !(optionalBody && contentType === undefined)) {
      throw unsupportedMediaType(mediaType);
    }
    await validator(c, next);
  }) as unknown as typeof validator;
}
