import { describe, expect, it } from "vitest";
import { type PasswordUser, validatePassword } from "../../src/services/password-validators";
import sample from "../fixtures/django-password-verdicts.json";

type DjangoUser = { username: string; first_name: string; last_name: string; email: string };

const asPasswordUser = (user: DjangoUser | null): PasswordUser =>
  user ? { username: user.username, firstName: user.first_name, lastName: user.last_name, email: user.email } : {};

// Django's own verdicts, made by scripts/django-validator-sample.py with Debian's Django.
describe(`validatePassword against Django ${sample.django}'s validate_password`, () => {
  it("gives Django's messages, in Django's order, for every sampled password", () => {
    const disagreements = sample.verdicts
      .map(({ password, user, messages }) => ({
        password,
        user,
        django: messages,
        ours: validatePassword(password, asPasswordUser(user)),
      }))
      .filter(({ django, ours }) => JSON.stringify(django) !== JSON.stringify(ours));
    expect(disagreements).toEqual([]);
  });
});
