import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Config } from "../env";
import { ApiError } from "../errors";

/**
 * Refuses bodies over the size `maxBytes` picks from the config, whether announced by
 * Content-Length or streamed. With a `field`, the 413 names it, as a form's field error would.
 */
export function limitBody(maxBytes: (config: Config) => number, field?: string) {
  return createMiddleware<AppEnv>((c, next) => {
    const maxSize = maxBytes(c.var.config);
    return bodyLimit({
      maxSize,
      onError: () => {
        const message = `Request body is larger than ${maxSize} bytes.`;
        throw new ApiError("PAYLOAD_TOO_LARGE", { message, errors: field ? { [field]: [message] } : undefined });
      },
    })(c, next);
  });
}
