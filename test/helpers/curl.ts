import { fetchWorker } from "./fetch-worker";

/**
 * Sends what `curl -X METHOD URL -H ... -d '...'` sends: the given headers and body byte for byte,
 * plus curl's own User-Agent and Accept. The document's host works as is: the Worker is called directly.
 */
export async function curl(method: string, url: string, headers: Record<string, string>, data?: string) {
  const response = await fetchWorker(url, {
    method,
    headers: { "User-Agent": "curl/8.5.0", Accept: "*/*", ...headers },
    body: data,
  });
  // biome-ignore lint/suspicious/noExplicitAny: the document's bodies are read as a client would.
  return { status: response.status, body: (await response.json()) as any };
}
