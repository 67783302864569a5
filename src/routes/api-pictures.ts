import type { Context } from "hono";
import * as z from "zod";
import { ApiRouter, createRoute } from "../api-router";
import type { AppEnv } from "../env";
import { ApiError, unsupportedMediaType } from "../errors";
import { authenticateToken } from "../middleware/authenticate";
import { limitBody } from "../middleware/body-limit";
import { Binary, DrfDetail, DrfFieldErrors, drfErrors, json, TOKEN_AUTH } from "../schemas/openapi";
import { ApiUser, toApiUser } from "../schemas/responses";
import { ValidationFailed } from "../services/domain-errors";
import { removeProfilePicture, replaceProfilePicture } from "../services/pictures";
import { TAGS } from "./api-users";

const FIELD = "profile_picture";
// Room for a multipart body's boundaries and part headers around the file itself.
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/** The file in a Django ImageField form's `profile_picture` part. */
async function readFormFile(c: Context): Promise<Uint8Array> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch (cause) {
    throw new ApiError("BAD_REQUEST", { message: "Multipart form parse error.", cause });
  }
  const file = form.get(FIELD);
  if (file === null) throw new ValidationFailed({ [FIELD]: ["No file was submitted."] });
  if (typeof file === "string") {
    throw new ValidationFailed({
      [FIELD]: ["The submitted data was not a file. Check the encoding type on the form."],
    });
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** The picture's bytes, from a multipart form or a raw image body; its claimed type is not trusted. */
async function readPicture<E extends AppEnv>(c: Context<E>): Promise<Uint8Array> {
  const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  let bytes: Uint8Array;
  if (mediaType === "multipart/form-data") bytes = await readFormFile(c);
  else if (mediaType.startsWith("image/") || mediaType === "application/octet-stream") {
    bytes = new Uint8Array(await c.req.arrayBuffer());
  } else {
    throw unsupportedMediaType(mediaType);
  }
  const max = c.var.config.MAX_PICTURE_BYTES;
  if (bytes.byteLength > max) {
    const message = `Ensure this file is no larger than ${max} bytes.`;
    throw new ApiError("PAYLOAD_TOO_LARGE", { message, errors: { [FIELD]: [message] } });
  }
  return bytes;
}

const upload = createRoute({
  method: "put",
  path: "/picture/",
  operationId: "apiPutPicture",
  tags: TAGS,
  summary: "Upload the caller's profile picture",
  description:
    "Replaces any earlier picture. A PNG, JPEG, WebP or GIF (told by its bytes, whatever its name or type says) " +
    `of at most MAX_PICTURE_BYTES (2 MiB unless configured), as a form's \`${FIELD}\` file or as the body itself.`,
  security: TOKEN_AUTH,
  // The upload's own body limit, larger than the app's (src/app.ts); checked once the caller is known.
  middleware: [
    authenticateToken,
    limitBody((config) => config.MAX_PICTURE_BYTES + MULTIPART_OVERHEAD_BYTES, FIELD),
  ] as const,
  request: {
    body: {
      required: true,
      content: {
        "multipart/form-data": { schema: z.object({ [FIELD]: Binary }) },
        "image/*": { schema: Binary },
        "application/octet-stream": { schema: Binary },
      },
    },
  },
  responses: {
    200: json(ApiUser, "The user, `profile_picture` the new picture's URL"),
    ...drfErrors(400, 401, 409),
    413: json(DrfFieldErrors, "The file is over MAX_PICTURE_BYTES", {
      [FIELD]: ["Ensure this file is no larger than 2097152 bytes."],
    }),
    415: json(DrfDetail, "The body is neither a multipart form nor an image", {
      detail: 'Unsupported media type "application/json" in request.',
    }),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/picture/",
  operationId: "apiDeletePicture",
  tags: TAGS,
  summary: "Remove the caller's profile picture",
  description: "Deletes the stored file; with no picture there is nothing to do, and the answer is the same.",
  security: TOKEN_AUTH,
  middleware: [authenticateToken] as const,
  responses: { 204: { description: "No picture any more" }, ...drfErrors(401, 409) },
});

/** `me/picture/`: upload (replacing any earlier picture) and removal. */
export const apiPictures = new ApiRouter()
  .openapi(upload, async (c) => {
    const bytes = await readPicture(c);
    const user = await replaceProfilePicture(c.var.services.pictures, c.var.user, bytes);
    return c.json(toApiUser(user, c.req.url), 200);
  })
  .openapi(remove, async (c) => {
    await removeProfilePicture(c.var.services.pictures, c.var.user);
    return c.body(null, 204);
  });
