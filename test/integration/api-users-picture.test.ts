import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HTML_AS_PNG, IMAGES } from "../fixtures/images";
import { api } from "../helpers/api";
import { expectDetail, expectFieldErrors, registerAndLoginDrf, tokenAuth } from "../helpers/drf";
import { fetchWorker } from "../helpers/fetch-worker";

const PICTURE_URL = /^http:\/\/localhost\/media\/profile_pictures\/[0-9a-f]{40}\.(png|jpg|webp|gif)$/;

async function send(token: string, body: BodyInit, contentType?: string) {
  const response = await fetchWorker("http://localhost/api/users/me/picture/", {
    method: "PUT",
    headers: { ...tokenAuth(token), ...(contentType ? { "Content-Type": contentType } : {}) },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** What a Django ImageField form posts: multipart with a `profile_picture` file part. */
function asForm(bytes: Uint8Array, filename: string, type: string, field = "profile_picture") {
  const form = new FormData();
  form.append(field, new File([bytes], filename, { type }));
  return form;
}

const fetchMedia = (url: string, headers: Record<string, string> = {}) => fetchWorker(url, { headers });
const objectKey = (url: string) => new URL(url).pathname.replace("/media/", "");

describe("PUT /api/users/me/picture/", () => {
  it.each(Object.entries(IMAGES))("stores a real %s sent as a form, served back byte for byte", async (ext, image) => {
    const session = await registerAndLoginDrf();
    const response = await send(session.token, asForm(image.bytes, `me.${ext}`, image.mediaType));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ ...session.user, profile_picture: expect.stringMatching(PICTURE_URL) });
    expect(response.body.profile_picture.endsWith(`.${ext}`)).toBe(true);

    const served = await fetchMedia(response.body.profile_picture);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe(image.mediaType);
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("ETag")).toMatch(/^"[0-9a-f]+"$/);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(image.bytes);
  });

  it("takes a raw body too, its type decided by the bytes and not the header", async () => {
    const session = await registerAndLoginDrf();
    const response = await send(session.token, IMAGES.gif.bytes, "image/png");
    expect(response.status).toBe(200);
    expect(response.body.profile_picture.endsWith(".gif")).toBe(true);
    const served = await fetchMedia(response.body.profile_picture);
    expect(served.headers.get("Content-Type")).toBe("image/gif");
  });

  it("shows the picture in /me and in the /auth/ profile of the same user", async () => {
    const session = await registerAndLoginDrf();
    const { body } = await send(session.token, IMAGES.png.bytes, "image/png");
    const me = await api("GET", "/api/users/me/", { headers: tokenAuth(session.token) });
    expect(me.body.profile_picture).toBe(body.profile_picture);
    const login = await api("POST", "/auth/login/", { body: { email: session.email, password: session.password } });
    expect(login.body.data.user.profile_picture).toBe(body.profile_picture);
  });

  it("replacing a picture deletes the old object", async () => {
    const session = await registerAndLoginDrf();
    const first = await send(session.token, IMAGES.png.bytes, "image/png");
    const second = await send(session.token, asForm(IMAGES.jpg.bytes, "b.jpg", "image/jpeg"));
    expect(second.body.profile_picture).not.toBe(first.body.profile_picture);
    expect(await env.MEDIA.head(objectKey(first.body.profile_picture))).toBeNull();
    expect((await fetchMedia(first.body.profile_picture)).status).toBe(404);
    expect(await env.MEDIA.head(objectKey(second.body.profile_picture))).not.toBeNull();
  });

  it("refuses a non-image named .png and labelled image/png, storing nothing", async () => {
    const session = await registerAndLoginDrf();
    const before = await env.MEDIA.list({ prefix: "profile_pictures/" });
    const response = await send(session.token, asForm(HTML_AS_PNG, "avatar.png", "image/png"));
    expect(expectFieldErrors(response).profile_picture).toEqual([
      "Upload a valid image. The file you uploaded was either not an image or a corrupted image.",
    ]);
    const after = await env.MEDIA.list({ prefix: "profile_pictures/" });
    expect(after.objects.length).toBe(before.objects.length);
  });

  it("refuses a file over 2 MiB with 413 and a field error, sent either way", async () => {
    const session = await registerAndLoginDrf();
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(IMAGES.png.bytes);
    for (const response of [
      await send(session.token, asForm(big, "big.png", "image/png")),
      await send(session.token, big, "image/png"),
    ]) {
      expect(expectFieldErrors(response, 413).profile_picture?.[0]).toMatch(/no larger than 2097152 bytes|larger than/);
    }
    const exactly = new Uint8Array(2 * 1024 * 1024);
    exactly.set(IMAGES.png.bytes);
    expect((await send(session.token, asForm(exactly, "max.png", "image/png"))).status).toBe(200);
  });

  it("answers a form without the file, an empty file and a text part with field errors", async () => {
    const session = await registerAndLoginDrf();
    const noFile = asForm(IMAGES.png.bytes, "a.png", "image/png", "avatar");
    expect(expectFieldErrors(await send(session.token, noFile)).profile_picture).toEqual(["No file was submitted."]);
    const empty = asForm(new Uint8Array(), "a.png", "image/png");
    expect(expectFieldErrors(await send(session.token, empty)).profile_picture).toEqual([
      "The submitted file is empty.",
    ]);
    const text = new FormData();
    text.append("profile_picture", "not a file");
    expect(expectFieldErrors(await send(session.token, text)).profile_picture?.[0]).toMatch(/not a file/);
  });

  it("answers other media types with 415 and a broken form with 400, DRF-shaped", async () => {
    const session = await registerAndLoginDrf();
    expectDetail(await send(session.token, "{}", "application/json"), 415);
    expectDetail(await send(session.token, "--x\r\nbroken", "multipart/form-data; boundary=nope"), 400);
  });

  it("needs a token", async () => {
    const response = await send("0".repeat(40), IMAGES.png.bytes, "image/png");
    expect(expectDetail(response, 401)).toBe("Invalid token.");
  });
});

describe("DELETE /api/users/me/picture/", () => {
  it("removes the picture and its object; deleting again is fine", async () => {
    const session = await registerAndLoginDrf();
    const { body } = await send(session.token, IMAGES.webp.bytes, "image/webp");
    const remove = () => api("DELETE", "/api/users/me/picture/", { headers: tokenAuth(session.token) });
    expect((await remove()).status).toBe(204);
    expect(await env.MEDIA.head(objectKey(body.profile_picture))).toBeNull();
    const me = await api("GET", "/api/users/me/", { headers: tokenAuth(session.token) });
    expect(me.body.profile_picture).toBeNull();
    expect((await remove()).status).toBe(204);
  });
});

describe("GET /media/profile_pictures/<key>", () => {
  it("answers a matching If-None-Match with 304", async () => {
    const session = await registerAndLoginDrf();
    const { body } = await send(session.token, IMAGES.png.bytes, "image/png");
    const first = await fetchMedia(body.profile_picture);
    const etag = first.headers.get("ETag") ?? "";
    const again = await fetchMedia(body.profile_picture, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("ETag")).toBe(etag);
  });

  it("answers a failed If-Match or If-Unmodified-Since with 412, in RFC 9110's order", async () => {
    const session = await registerAndLoginDrf();
    const { body } = await send(session.token, IMAGES.png.bytes, "image/png");
    const etag = (await fetchMedia(body.profile_picture)).headers.get("ETag") ?? "";
    const [past, future] = ["Sat, 01 Jan 2000 00:00:00 GMT", "Fri, 01 Jan 2100 00:00:00 GMT"];
    const statusOf = async (headers: Record<string, string>) =>
      (await fetchMedia(body.profile_picture, headers)).status;
    const refused = await fetchMedia(body.profile_picture, { "If-Match": '"someone-else"' });
    expect(refused.status).toBe(412);
    expect(await refused.json()).toEqual({ detail: "Precondition failed." });
    expect(await statusOf({ "If-Unmodified-Since": past })).toBe(412);
    expect(await statusOf({ "If-Match": `"x", ${etag}` })).toBe(200);
    expect(await statusOf({ "If-Match": "*", "If-Unmodified-Since": future })).toBe(200);
    // If-Match decides alone when present; If-Unmodified-Since is then not looked at.
    expect(await statusOf({ "If-Match": etag, "If-Unmodified-Since": past })).toBe(200);
    // A failed If-Match comes before a failed If-None-Match.
    expect(await statusOf({ "If-Match": '"someone-else"', "If-None-Match": etag })).toBe(412);
    expect(await statusOf({ "If-Match": etag, "If-None-Match": etag })).toBe(304);
    expect(await statusOf({ "If-Modified-Since": future })).toBe(304);
    // If-None-Match decides alone when present, and a changed tag means a changed picture.
    expect(await statusOf({ "If-None-Match": '"older"', "If-Modified-Since": future })).toBe(200);
    expect(await statusOf({ "If-Modified-Since": past })).toBe(200);
  });

  it.each([
    "/media/profile_pictures/0000000000000000000000000000000000000000.png",
    "/media/profile_pictures/..%2F..%2Fsecret.png",
    "/media/other/secret.png",
  ])("answers unknown keys with 404: %s", async (path) => {
    const response = await api("GET", path);
    expect(expectDetail(response, 404)).toBe("Not found.");
  });
});
