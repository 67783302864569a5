import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { app } from "../../src/app";
import { expectDocumented } from "./openapi";

async function checked(input: RequestInfo | URL, init: RequestInit | undefined, response: Response) {
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const url = new URL(input instanceof Request ? input.url : String(input), "http://localhost");
  await expectDocumented(method.toUpperCase(), url.href, response.clone());
  return response;
}

/**
 * `exports.default.fetch`, the one way tests reach the Worker: every response of a documented
 * route is checked against the document (a status it does not list fails the test), so the
 * document cannot drift from what the Worker answers.
 */
export async function fetchWorker(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return checked(input, init, await exports.default.fetch(input, init));
}

/**
 * `app.request` with bindings of the test's own (a broken config, another database), checked alike.
 * It resolves once the work the request left for after its response (`waitUntil`: mail) is done,
 * so that the outbox is complete.
 */
export async function appRequest(
  input: RequestInfo | URL,
  init: RequestInit,
  env: Parameters<typeof app.request>[2],
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.request(input, init, env, ctx);
  await waitOnExecutionContext(ctx);
  return checked(input, init, response);
}
