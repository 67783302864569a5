import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/** Refuses bodies over MAX_BODY_BYTES, whether announced by Content-Length or streamed. */
export const limitBody = createMiddleware<AppEnv>((c, next) =>
  bodyLimit({
    maxSize: c.var.config.MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", {
        message: `Request body is larger than ${c.var.config.MAX_BODY_BYTES} bytes.`,
      });
    },
  })(c, next),
);
