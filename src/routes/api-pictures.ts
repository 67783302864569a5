import { type Context, Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { authenticateToken } from "../middleware/authenticate";
import { limitBody } from "../middleware/body-limit";
import { toApiUser } from "../schemas/responses";
import { ValidationFailed } from "../services/domain-errors";
import { removeProfilePicture, replaceProfilePicture } from "../services/pictures";

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
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", { message: `Unsupported media type "${mediaType}" in request.` });
  }
  const max = c.var.config.MAX_PICTURE_BYTES;
  if (bytes.byteLength > max) {
    const message = `Ensure this file is no larger than ${max} bytes.`;
    throw new ApiError("PAYLOAD_TOO_LARGE", { message, errors: { [FIELD]: [message] } });
  }
  return bytes;
}

/** `me/picture`: upload (replacing any earlier picture) and removal. */
export const apiPictures = new Hono<AppEnv>()
  .put(
    "/",
    authenticateToken,
    limitBody((config) => config.MAX_PICTURE_BYTES + MULTIPART_OVERHEAD_BYTES, FIELD),
    async (c) => {
      const bytes = await readPicture(c);
      const user = await replaceProfilePicture(c.var.services.pictures, c.var.user, bytes);
      return c.json(toApiUser(user, c.req.url));
    },
  )
  .delete("/", authenticateToken, async (c) => {
    await removeProfilePicture(c.var.services.pictures, c.var.user);
    return c.body(null, 204);
  });
