import { beforeAll, describe, expect, it } from "vitest";
import { type AdminBrowser, createUser, signedIn, type TestUser } from "../helpers/admin-site";

/** The emails the users table lists, top to bottom. */
const listed = (html: string) =>
  [...html.matchAll(/<th scope="row"><a href="\/admin\/users\/\d+">([^<]+)<\/a>/g)].map((match) => match[1]);

// Users of this file share a random surname, so a search for it finds them and no one else's.
const tag = `Zq${crypto.randomUUID().slice(0, 8)}`;
let browser: AdminBrowser;
let patients: TestUser[];
let doctor: TestUser;
let inactive: TestUser;

beforeAll(async () => {
  ({ browser } = await signedIn());
  const email = (name: string) => `${name}.${tag.toLowerCase()}@example.com`;
  patients = [
    await createUser({ email: email("anna"), last_name: tag, role: "patient" }),
    await createUser({ email: email("carl"), last_name: tag, role: "patient" }, { isStaff: true }),
  ];
  doctor = await createUser({ email: email("bea"), last_name: tag, role: "doctor" });
  inactive = await createUser({ email: email("dora"), last_name: tag, role: "patient" }, { isActive: false });
});

const search = (query: string) => browser.get(`/admin/users?search=${tag}${query}`);

describe("the users page", () => {
  it("finds users by a part of their email or name, with the total", async () => {
    const page = await search("&ordering=email");
    expect(page.status).toBe(200);
    expect(listed(page.html)).toEqual([patients[0]?.email, doctor.email, patients[1]?.email, inactive.email]);
    expect(page.html).toContain("Showing 1–4 of 4");
    const byEmail = await browser.get(`/admin/users?search=${encodeURIComponent(`bea.${tag.toLowerCase()}`)}`);
    expect(listed(byEmail.html)).toEqual([doctor.email]);
    const none = await browser.get(`/admin/users?search=${tag}nobody`);
    expect(listed(none.html)).toEqual([]);
    expect(none.html).toContain("No users match.");
  });

  it("filters by role, active and staff", async () => {
    expect(listed((await search("&role=doctor")).html)).toEqual([doctor.email]);
    expect(listed((await search("&is_active=false")).html)).toEqual([inactive.email]);
    expect(listed((await search("&is_staff=true")).html)).toEqual([patients[1]?.email]);
    expect(listed((await search("&role=patient&is_active=true&ordering=email")).html)).toEqual(
      patients.map((user) => user.email),
    );
  });

  it("sorts by a column in either direction and says so with aria-sort", async () => {
    const ascending = await search("&ordering=email");
    const descending = await search("&ordering=-email");
    expect(listed(descending.html)).toEqual(listed(ascending.html).reverse());
    expect(ascending.html).toMatch(/<th scope="col" aria-sort="ascending"><a href="[^"]*ordering=-email/);
    expect(descending.html).toMatch(/<th scope="col" aria-sort="descending"><a href="[^"]*ordering=email/);
    // Newest first by default: the last one made comes first.
    expect(listed((await search("")).html)[0]).toBe(inactive.email);
    expect(listed((await search("&ordering=created_at")).html)[0]).toBe(patients[0]?.email);
  });

  it("pages through the results with totals and keeps the filters in its links", async () => {
    const first = await search("&ordering=email&limit=3");
    expect(listed(first.html)).toHaveLength(3);
    expect(first.html).toContain("Showing 1–3 of 4");
    expect(first.html).toContain("Page 1 of 2");
    const next = /<a href="([^"]+)">Next page<\/a>/.exec(first.html)?.[1]?.replaceAll("&amp;", "&") ?? "";
    expect(next).toContain(`search=${tag}`);
    const second = await browser.get(next);
    expect(listed(second.html)).toEqual([inactive.email]);
    expect(second.html).toContain("Showing 4–4 of 4");
    expect(second.html).toContain("Previous page");
  });

  it("shows each user's role, flags, join date and last login", async () => {
    const page = await search(`&role=doctor`);
    const row = /<tr><th scope="row">.*?<\/tr>/s.exec(page.html)?.[0] ?? "";
    expect(row).toContain("<td>doctor</td>");
    expect(row).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/);
    expect(row).toContain("<td>Never</td>");
  });

  it("falls back to the defaults for parameters it cannot read", async () => {
    const page = await search("&ordering=password&page=-3&limit=1000&is_active=maybe");
    expect(page.status).toBe(200);
    expect(listed(page.html)).toHaveLength(4);
    for (const number of ["1e21", "Infinity", "100001"]) {
      const beyond = await search(`&page=${number}`);
      expect(beyond.status, number).toBe(200);
      expect(listed(beyond.html), number).toHaveLength(4);
    }
  });
});
