import { OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";

// Route files take `createRoute` from here, with the router they register on.
export { createRoute } from "@hono/zod-openapi";

import type { Handler, MiddlewareHandler } from "hono";
import * as z from "zod";
import type { AppEnv } from "./env";
import { validate } from "./middleware/validate";

/**
 * `/users/{id}/`, a path as the document writes it (with the slash the contracts' clients send),
 * as the app's router matches it: under `strict: false` the router strips a request's trailing
 * slash, so a route registered with one would never match.
 */
export function routingPath(path: string): string {
  return path.replaceAll(/\/{(.+?)}/g, "/:$1").replace(/(.)\/$/, "$1");
}

function requestValidators(request: RouteConfig["request"]): MiddlewareHandler[] {
  if (request?.headers || request?.cookies) {
    throw new Error("ApiRouter validates params, query and JSON bodies only; check headers in middleware");
  }
  const media = request?.body?.content["application/json"];
  const json = media && "schema" in media ? media.schema : undefined;
  return [
    ...(request?.query ? [validate("query", request.query)] : []),
    ...(request?.params ? [validate("param", request.params)] : []),
    ...(json instanceof z.ZodType ? [validate("json", json)] : []),
  ];
}

/**
 * The router every documented resource is built on: `openapi(createRoute({...}), handler)` puts the
 * route in the document as `OpenAPIHono` does, but validates with our `validate()`, exactly as the
 * routes did before they were documented: failures throw into the one error renderer (no hook is
 * called), a JSON body sent with another media type is a 415 in our words, and the route's
 * `middleware` (authentication) runs before any validation. Bodies of other media types (uploads)
 * are documented only; their handlers read them.
 */
export class ApiRouter extends OpenAPIHono<AppEnv> {
  // OpenAPIHono's own validators differ at the edges (a stricter Content-Type pattern, its own
  // 415 message) and would register the path with its trailing slash, which never matches.
  override openapi = (({ middleware, hide, ...route }: RouteConfig, handler: Handler) => {
    if (!hide) this.openAPIRegistry.registerPath(route);
    const before = middleware === undefined ? [] : [middleware].flat();
    this.on(route.method, [routingPath(route.path)], ...before, ...requestValidators(route.request), handler);
    return this;
  }) as unknown as OpenAPIHono<AppEnv>["openapi"];
}
