import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import { type Env, type Handler, Hono, type MiddlewareHandler } from "hono";
import * as z from "zod";
import type { AppEnv } from "./env";
import { validate } from "./middleware/validate";

// The Worker describes its routes with @hono/zod-openapi's route configs and types, but does not
// load the library at run time: it imports zod's whole `z` object (every locale included) to add
// `.openapi()` to Zod, which would cost the bundle about 78 KiB gzipped. The document is generated
// from these same configs in Node (scripts/lib/openapi-document.ts), committed, checked in CI, and
// served as it is (src/routes/reference.ts).

/** @hono/zod-openapi's `createRoute`: a route's description, typed for `ApiRouter.openapi`. */
export function createRoute<P extends string, R extends Omit<RouteConfig, "path"> & { path: P }>(route: R): R {
  return route;
}

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
    ...(json instanceof z.ZodType ? [validate("json", json, { optionalBody: request?.body?.required === false })] : []),
  ];
}

// Each documented route's handler -> its description: the app's own route table (`app.routes`)
// then says where each one is mounted.
const descriptions = new WeakMap<Handler, RouteConfig>();

/**
 * The router every documented resource is built on: `openapi(createRoute({...}), handler)` is typed
 * as OpenAPIHono's, records the description, and validates with our `validate()`, exactly as the
 * routes did before they were documented: failures throw into the one error renderer, a JSON body
 * sent with another media type is a 415 in our words, and the route's `middleware`
 * (authentication) runs before any validation. Bodies of other media types (uploads) are
 * documented only; their handlers read them.
 */
export class ApiRouter<E extends Env = AppEnv> extends Hono<E> {
  openapi = (({ middleware, hide, ...route }: RouteConfig, handler: Handler) => {
    // One description per handler: a handler shared by two routes would document only the last.
    if (descriptions.has(handler)) throw new Error(`${route.method} ${route.path}: give each route its own handler`);
    if (!hide) descriptions.set(handler, route);
    const before = middleware === undefined ? [] : [middleware].flat();
    this.on(route.method, [routingPath(route.path)], ...before, ...requestValidators(route.request), handler);
    return this;
  }) as unknown as OpenAPIHono<E>["openapi"];
}

/**
 * Every route `app` serves that a router described, at its documented path: `{id}` for `:id`, and
 * the trailing slash the contracts write wherever the route's own path has one (`/` included).
 */
export function describedRoutes(app: Pick<Hono, "routes">): Omit<RouteConfig, "middleware" | "hide">[] {
  return app.routes.flatMap(({ path, handler }) => {
    const route = descriptions.get(handler);
    if (!route) return [];
    const documented = path.replaceAll(/:([^/]+)/g, "{$1}");
    const slash = route.path.endsWith("/") && !documented.endsWith("/") ? "/" : "";
    return [{ ...route, path: documented + slash }];
  });
}
