import { exports } from "cloudflare:workers";
import { expectDocumented } from "./openapi";

/**
 * `exports.default.fetch`, the one way tests reach the Worker: every response of a documented
 * route is checked against the document (a status it does not list fails the test), so the
 * document cannot drift from what the Worker answers.
 */
export async function fetchWorker(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await exports.default.fetch(input, init);
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const url = input instanceof Request ? input.url : String(input);
  await expectDocumented(method.toUpperCase(), url, response.clone());
  return response;
}
