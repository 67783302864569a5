import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { cloudflareMailer, consoleMailer } from "../../src/services/mail/transports";
import { api, registerAndLogin, uniqueEmail } from "../helpers/api";
import { appRequest } from "../helpers/fetch-worker";

const CATCHER = inject("mailCatcher");
const HTTP = {
  ...env,
  MAIL_TRANSPORT: "http",
  MAIL_API_URL: `${CATCHER.url}/emails`,
  MAIL_API_KEY: CATCHER.apiKey,
} as Env;
const MESSAGE = {
  to: "a@example.com",
  subject: "S",
  text: "T https://x.example/l",
  html: "<p>H</p>",
  links: ["https://x.example/l"],
};

interface Caught {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  idempotencyKey?: string;
  attempts: number;
}
const caught = async (to: string): Promise<Caught[]> =>
  (await fetch(`${CATCHER.url}/outbox?to=${encodeURIComponent(to)}`)).json();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the http transport against a stand-in provider", () => {
  it("sends what Resend's API expects: Bearer key, JSON with from, to, subject, text and html", async () => {
    const user = await registerAndLogin();
    await api("POST", "/auth/password-reset/", { body: { email: user.email }, settle: HTTP });
    const [mail] = await caught(user.email);
    expect(mail).toMatchObject({ from: "edge-auth <no-reply@example.com>", to: [user.email], attempts: 1 });
    expect(mail?.subject).toBe("Reset your password · edge-auth");
    expect(mail?.text).toMatch(/https:\/\/auth\.example\.test\/account\/reset-password\?token=[\w-]{43}/);
    expect(mail?.html).toMatch(/^<!doctype html>/);
    expect(mail?.html).not.toMatch(/<img|<script/);
    expect(mail?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("retries a failed send once, and logs a second failure without failing the request", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const register = (email: string) =>
      api("POST", "/auth/register/", {
        body: {
          email,
          password: "fail-Once-pass-7",
          password_confirm: "fail-Once-pass-7",
          fullName: "F",
          role: "student",
        },
        settle: HTTP,
      });
    const onceFailing = uniqueEmail("fail-once");
    expect((await register(onceFailing)).status).toBe(201);
    expect(await caught(onceFailing)).toHaveLength(1);
    expect(warn.mock.calls.flat().join(" ")).toContain("mail send failed, retrying once");
    const alwaysFailing = uniqueEmail("fail-always");
    expect((await register(alwaysFailing)).status).toBe(201);
    expect(await caught(alwaysFailing)).toEqual([]);
    expect(error.mock.calls.flat().join(" ")).toMatch(/"msg":"mail not sent".*"attempts":2.*answered 500/);
  });
});

describe("mail configuration", () => {
  it("answers 500 and logs the problem when mail would leave without PUBLIC_URL or without MAIL_API_KEY", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const bindings of [
      { ...HTTP, PUBLIC_URL: "" },
      { ...HTTP, MAIL_API_KEY: undefined },
    ]) {
      const response = await appRequest("/health", {}, bindings);
      expect(response.status).toBe(500);
    }
    const logged = error.mock.calls.flat().join(" ");
    expect(logged).toContain("PUBLIC_URL must be set when MAIL_TRANSPORT sends mail");
    expect(logged).toContain("MAIL_API_KEY is not set");
  });

  it("answers 500 for MAIL_TRANSPORT=cloudflare without the EMAIL binding", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await appRequest("/health", {}, { ...env, MAIL_TRANSPORT: "cloudflare", EMAIL: undefined });
    expect(response.status).toBe(500);
    expect(error.mock.calls.flat().join(" ")).toContain("needs the send_email binding EMAIL");
  });

  it("hands the cloudflare binding the sender and both parts", async () => {
    const send = vi.fn(async () => ({ messageId: "m" }));
    await cloudflareMailer({ send } as unknown as SendEmail, { name: "App", email: "from@example.com" }).send(
      MESSAGE,
      "k",
    );
    expect(send).toHaveBeenCalledWith({
      from: { name: "App", email: "from@example.com" },
      to: "a@example.com",
      subject: "S",
      text: MESSAGE.text,
      html: "<p>H</p>",
    });
  });

  it("prints links on the console only when PUBLIC_URL is a local address", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await consoleMailer("http://127.0.0.1:8787").send(MESSAGE, "k");
    await consoleMailer("https://auth.example.com").send(MESSAGE, "k");
    const [local, remote] = log.mock.calls.map(([line]) => String(line));
    expect(local).toBe("[mail] to: a@example.com\n[mail] subject: S\n[mail] link: https://x.example/l");
    expect(remote).toContain("links withheld");
    expect(remote).not.toContain("https://x.example/l");
  });
});
