import { eq } from "drizzle-orm";
import { type NewUser, users } from "../../src/db/schema";
import { api, randomIp, testDb } from "./api";
import { drfRegistration } from "./drf";
import { fetchWorker } from "./fetch-worker";

export const ORIGIN = "http://localhost";

export interface AdminPage {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
  /** The raw Set-Cookie headers of this response. */
  setCookies: string[];
}

/** The CSRF token a page's forms carry, or undefined. */
export function csrfTokenIn(html: string): string | undefined {
  return /name="csrf_token" value="([0-9a-f]+)"/.exec(html)?.[1];
}

/**
 * A browser for the admin site over `fetchWorker`: it keeps cookies as a browser would
 * (Path=/admin, deleted by Max-Age=0), sends the site's Origin with forms, and never follows redirects.
 */
export class AdminBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly ip = randomIp(),
    readonly origin = ORIGIN,
  ) {}

  async request(
    method: string,
    path: string,
    { form, headers = {} }: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<AdminPage> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetchWorker(`${this.origin}${path}`, {
      method,
      redirect: "manual",
      headers: {
        "CF-Connecting-IP": this.ip,
        ...(cookie ? { Cookie: cookie } : {}),
        ...(form ? { "Content-Type": "application/x-www-form-urlencoded", Origin: this.origin } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: response.status,
      headers: response.headers,
      html: await response.text(),
      location: response.headers.get("Location"),
      setCookies,
    };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request("GET", path, { headers });
  }

  post(path: string, form: Record<string, string>, headers?: Record<string, string>) {
    return this.request("POST", path, { form, headers });
  }

  /** Opens `path` for its form's CSRF token, then posts the form with it. */
  async submit(path: string, action: string, form: Record<string, string>): Promise<AdminPage> {
    const page = await this.get(path);
    const csrf_token = csrfTokenIn(page.html);
    if (!csrf_token) throw new Error(`no CSRF token on ${path} (${page.status} ${page.location ?? ""})`);
    return this.post(action, { csrf_token, ...form });
  }

  logIn(email: string, password: string): Promise<AdminPage> {
    return this.submit("/admin/login", "/admin/login", { email, password });
  }
}

export interface TestUser {
  id: number;
  email: string;
  password: string;
}

/** Registers a user through `/api/users/register/`, then sets columns registration cannot (flags, admin role). */
export async function createUser(
  registration: Record<string, unknown> = {},
  columns: Partial<NewUser> = {},
): Promise<TestUser> {
  const body = drfRegistration(registration);
  const registered = await api("POST", "/api/users/register/", { body });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const id = registered.body.id as number;
  if (Object.keys(columns).length > 0) await testDb().update(users).set(columns).where(eq(users.id, id));
  return { id, email: body.email, password: body.password };
}

export const SUPERUSER: Partial<NewUser> = { role: "admin", isStaff: true, isSuperuser: true };
export const STAFF: Partial<NewUser> = { isStaff: true };

/** A user with these columns, logged in to the admin site in a browser of their own. */
export async function signedIn(columns: Partial<NewUser> = SUPERUSER) {
  const user = await createUser({ first_name: "Staff", last_name: "Member" }, columns);
  const browser = new AdminBrowser();
  const login = await browser.logIn(user.email, user.password);
  if (login.status !== 303) throw new Error(`admin login failed: ${login.status} ${login.html}`);
  return { user, browser };
}

/** A user row as the database holds it now. */
export async function userRow(id: number) {
  const [row] = await testDb().select().from(users).where(eq(users.id, id));
  return row;
}

/** The user page's edit form for `id` as a superuser would submit it unchanged; override what to change. */
export async function editForm(id: number, changes: Record<string, string> = {}): Promise<Record<string, string>> {
  const row = await userRow(id);
  if (!row) throw new Error(`no user ${id}`);
  const flag = (value: boolean) => (value ? "on" : "off");
  return {
    first_name: row.firstName,
    last_name: row.lastName,
    email: row.email,
    role: row.role,
    bio: row.bio,
    is_active: flag(row.isActive),
    is_staff: flag(row.isStaff),
    is_superuser: flag(row.isSuperuser),
    ...changes,
  };
}

/** Follows a redirect's Location with a GET, as a browser would. */
export function follow(browser: AdminBrowser, page: AdminPage): Promise<AdminPage> {
  if (!page.location) throw new Error(`not a redirect: ${page.status}`);
  return browser.get(page.location);
}
