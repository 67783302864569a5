import type { Context } from "hono";

/**
 * A submitted form as name -> value. A name sent twice keeps its last value (see `Checkbox`); files
 * and bodies that are not forms read as nothing, so a JSON body carries no CSRF token either.
 */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: true }).catch(() => ({}));
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === "string") form[name] = last;
  }
  return form;
}
