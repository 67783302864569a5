import { readFileSync } from "node:fs";
import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import * as z from "zod";

// As @hono/zod-openapi does on import; the routes' schemas use Zod's own `.meta()`, which the
// generator reads either way.
extendZodWithOpenApi(z);

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const INFO = {
  title: "edge-auth",
  version,
  description: [
    "One user table behind two contracts. Every path is served with and without its trailing slash.",
    "",
    "- `/auth/`: JWTs (`Authorization: Bearer`), answers in the `{success, data, message}` envelope, errors as `EnvelopeError`;",
    "- `/api/users/`: Django REST Framework's shapes and `Authorization: Token`, errors as `DrfFieldErrors` or `DrfDetail`.",
  ].join("\n"),
};

/**
 * The OpenAPI 3.1 document of the routes the app describes (`describedRoutes(app)` of
 * src/api-router.ts) with the shared components (`registerComponents` of src/schemas/openapi.ts),
 * as served from `serverUrl`. The caller imports those two: src/ is type-checked under the
 * Workers' types, not the scripts' Node types.
 */
export function describeApi(
  routes: RouteConfig[],
  registerComponents: (registry: OpenAPIRegistry) => void,
  serverUrl: string,
) {
  const registry = new OpenAPIRegistry();
  registerComponents(registry);
  for (const route of routes) registry.registerPath(route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: INFO,
    servers: [{ url: serverUrl }],
  });
}
