import type { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import committed from "../../openapi.json";
import { routingPath } from "../../src/api-router";

/**
 * The document the Worker serves: the committed openapi.json, which test/node/openapi.test.ts holds
 * to what the code describes.
 */
export const DOCUMENT = committed as unknown as ReturnType<OpenApiGeneratorV31["generateDocument"]>;

type PathItem = NonNullable<typeof DOCUMENT.paths>[string];
type Operation = NonNullable<PathItem["get"]>;
type ResponseObject = Extract<NonNullable<Operation["responses"]>[string], { description: string }>;

/** Served but never documented: the admin site and the account pages (HTML for people), the document and its page. */
export const NEVER_DOCUMENTED = [/^\w+ \/admin(\/|$)/, /^\w+ \/account(\/|$)/, /^GET \/openapi\.json$/, /^GET \/docs$/];

const METHODS = ["get", "put", "post", "delete", "patch"] as const;
type Method = (typeof METHODS)[number];

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&");

// A request path matches a documented one with or without its trailing slash (strict: false).
// Literal paths come first, so `/me/` is never taken for `/{id}/`.
const OPERATIONS = Object.entries(DOCUMENT.paths ?? {})
  .map(([path, item]) => {
    const segments = routingPath(path).split("/");
    const pattern = segments.map((segment) => (segment.startsWith(":") ? "[^/]+" : escapeRegExp(segment))).join("/");
    return {
      path,
      item,
      pattern: new RegExp(`^${pattern}/?$`),
      params: segments.filter((s) => s.startsWith(":")).length,
    };
  })
  .sort((a, b) => a.params - b.params);

/** The documented operation that answers `method path`, if any (HEAD is answered by GET). */
function findOperation(method: string, path: string) {
  const key = method === "HEAD" ? "get" : method.toLowerCase();
  for (const { path: documented, item, pattern } of OPERATIONS) {
    const operation = METHODS.includes(key as Method) ? item[key as Method] : undefined;
    if (operation && pattern.test(path)) return { path: documented, method: key, operation };
  }
  return undefined;
}

// OpenAPI 3.1 schemas are JSON Schema 2020-12 plus a few annotations of OpenAPI's own.
export const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);

// A response schema with the document's components beside it, its `$ref`s pointing there.
const COMPONENTS = DOCUMENT.components?.schemas ?? {};
const validators = new Map<object, ValidateFunction>();
/** An ajv validator of one of the document's schemas, compiled once; `ajv.errorsText` words its errors. */
export function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    const local = JSON.parse(
      JSON.stringify({ ...schema, $defs: COMPONENTS }).replaceAll('"#/components/schemas/', '"#/$defs/'),
    );
    validate = ajv.compile(local);
    validators.set(schema, validate);
  }
  return validate;
}

/** JSON bodies that matched their documented schema, and responses of routes not described yet. */
export const tally = { validated: 0, skipped: 0 };

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Throws unless `response` is what the document says `method url` answers: a status it lists for
 * the operation, a media type it lists for that status, and a JSON body that matches its schema.
 * Requests no documented operation answers (routes not described yet, unknown paths, methods a
 * path does not serve) are skipped.
 */
export async function expectDocumented(method: string, url: string, response: Response): Promise<void> {
  const path = new URL(url).pathname;
  const found = findOperation(method, path);
  if (!found) {
    tally.skipped++;
    return;
  }
  const name = `${method} ${path} (${found.method.toUpperCase()} ${found.path})`;
  const responses = found.operation.responses as Record<string, ResponseObject>;
  const documented = responses[String(response.status)] ?? responses.default;
  if (!documented) {
    throw new Error(
      `${name} answered ${response.status}, which the document does not list (it lists ${Object.keys(responses).join(", ")}): ${await response.text()}`,
    );
  }
  if (method === "HEAD" || response.status === 304) return;
  const mediaType = response.headers.get("Content-Type")?.split(";")[0]?.trim() ?? "";
  const content = documented.content ?? {};
  if (!JSON_TYPE.test(mediaType)) {
    const listed = Object.keys(content).some(
      (type) => type === mediaType || (type.endsWith("/*") && mediaType.startsWith(type.slice(0, -1))),
    );
    if (mediaType && !listed) throw new Error(`${name} answered ${response.status} as ${mediaType}, not documented`);
    return;
  }
  const schema = content["application/json"]?.schema;
  if (!schema) throw new Error(`${name} answered ${response.status} with JSON the document does not describe`);
  const body = await response.json();
  const validate = validatorFor(schema);
  if (!validate(body)) {
    throw new Error(
      `${name} answered ${response.status} with ${JSON.stringify(body)}: ${ajv.errorsText(validate.errors)}`,
    );
  }
  tally.validated++;
}
