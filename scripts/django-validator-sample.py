#!/usr/bin/python3
"""Writes test/fixtures/django-password-verdicts.json: real Django's verdicts on a sample of passwords.

Runs Django's validate_password with the four validators `startproject` puts in
AUTH_PASSWORD_VALIDATORS against a few hundred passwords and users, and records the exact messages,
in order, that test/unit/password-validators-django.test.ts expects from our port. CI reads the
committed file and needs no Python. To regenerate (Debian's Python and Django, not a virtualenv's):

    apt-get install -y python3-django
    /usr/bin/python3 scripts/django-validator-sample.py

The sample is seeded, so a rerun with the same Django writes the same file.
"""

import gzip
import json
import random
import string
import sys
from pathlib import Path

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    LANGUAGE_CODE="en-us",
    AUTH_PASSWORD_VALIDATORS=[
        {"NAME": f"django.contrib.auth.password_validation.{name}"}
        for name in (
            "UserAttributeSimilarityValidator",
            "MinimumLengthValidator",
            "CommonPasswordValidator",
            "NumericPasswordValidator",
        )
    ],
)
django.setup()

from django.contrib.auth.models import User  # noqa: E402 (needs django.setup())
from django.contrib.auth.password_validation import (  # noqa: E402
    CommonPasswordValidator,
    validate_password,
)
from django.core.exceptions import ValidationError  # noqa: E402

OUTPUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "django-password-verdicts.json"
FIELDS = ("username", "first_name", "last_name", "email")

rng = random.Random(20250101)
with gzip.open(CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH, "rt", encoding="utf-8") as f:
    COMMON = sorted({line.strip() for line in f})

USERS = [
    None,
    {"username": "", "first_name": "", "last_name": "", "email": ""},
    {"username": "alice_liddell", "first_name": "Alice", "last_name": "Liddell", "email": "alice@example.com"},
    {"username": "jsmith", "first_name": "John", "last_name": "Smith", "email": "john.smith@example.com"},
    # The /auth/ document's models take the username from the email.
    {
        "username": "student@example.com",
        "first_name": "Nguyen Van",
        "last_name": "A",
        "email": "student@example.com",
    },
    {"username": "zoë", "first_name": "Zoë", "last_name": "Ångström", "email": "zoe.angstrom@exämple.org"},
    # Leading and trailing punctuation splits into empty parts, which an empty password matches.
    {"username": "-bob-", "first_name": "-Bob-", "last_name": "", "email": "b@x.io"},
    {"username": "mary_ann", "first_name": "Mary Ann", "last_name": "O'Neil-Smith", "email": "mao@mail.co.uk"},
]

# Python's str.isspace() characters that JavaScript's trim() leaves, and one trim() strips that
# Python does not (U+FEFF), besides the usual ones.
PADDING = [" ", "  ", "\t", "\n", "\x1c", "\x1f", "\x85", "\xa0", "\u2003", "\u3000", "\ufeff", "\u200b"]
DIGITS = [
    "١٢٣٤٥٦٧٨",  # Arabic-Indic, Nd
    "１２３４５６７８",  # fullwidth, Nd
    "²³²³²³²³",  # superscripts: isdigit() but not Nd
    "①②③④⑤⑥⑦⑧",  # circled: isdigit() but not Nd
    "፩፪፫፬፭፮፯፰",  # Ethiopic: isdigit() but not Nd
    "⓵⓶⓷⓸⓹⓺⓻⓼",
    "𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",  # mathematical bold, Nd, outside the BMP
    "ⅫⅫⅫⅫⅫⅫⅫⅫ",  # roman numerals: Nl, not digits
    "½½½½½½½½",  # vulgar fractions: No, not digits
    "12345678 ",
    " 98765432",
    "1234５６７８",
]


def mixed_case(word):
    return "".join(c.upper() if rng.random() < 0.5 else c for c in word)


def common_passwords():
    by_length = {}
    for entry in COMMON:
        by_length.setdefault(len(entry), []).append(entry)
    picked = []
    for length in sorted(by_length):
        entries = by_length[length]
        picked += rng.sample(entries, min(len(entries), 8))
    variants = []
    for entry in picked:
        variant = rng.choice([str, str.upper, str.capitalize, mixed_case])(entry)
        if rng.random() < 0.3:
            pad = rng.choice(PADDING)
            variant = rng.choice([pad + variant, variant + pad, pad + variant + pad])
        variants.append(variant)
    # Near misses: one character more or less than a list entry.
    for entry in rng.sample(COMMON, 30):
        variants.append(entry + rng.choice(string.ascii_lowercase + string.digits))
        variants.append(entry[:-1])
    return variants


def numeric_passwords():
    numbers = ["".join(rng.choice(string.digits) for _ in range(rng.randint(1, 14))) for _ in range(40)]
    return numbers + [entry for entry in COMMON if entry.isdigit()][::40] + DIGITS


def random_passwords():
    alphabet = string.ascii_letters + string.digits + string.punctuation
    short = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7))) for _ in range(40)]
    long = ["".join(rng.choice(alphabet) for _ in range(rng.randint(8, 24))) for _ in range(60)]
    words = [rng.choice(COMMON) + rng.choice(COMMON) for _ in range(20)]
    return short + long + words + ["", " " * 10, "\t" * 8, "😀😀😀😀xyz", "😀😀😀😀wxyz", "ǅemo1234", "İstanbul"]


def similar_passwords(user):
    values = [user[field] for field in FIELDS if user[field]]
    mutations = [
        lambda v: v,
        str.upper,
        lambda v: v + str(rng.randint(0, 9999)),
        lambda v: v[::-1],
        lambda v: v[1:],
        lambda v: v.replace("@", "").replace(".", ""),
        lambda v: "".join(rng.sample(v, len(v))),
        lambda v: v + "".join(rng.choice(string.ascii_lowercase) for _ in range(len(v))),
        lambda v: v * 12,
    ]
    return [rng.choice(mutations)(rng.choice(values)) for _ in range(14)] + [
        (user["first_name"] + user["last_name"]).lower(),
        user["email"].split("@")[0] + "2024",
        # Ten times an attribute's length or more: Django skips the comparison.
        user["last_name"] + "x" * 10 * max(1, len(user["last_name"])),
    ]


def verdict(password, fields):
    user = User(**fields) if fields else None
    try:
        validate_password(password, user)
        messages = []
    except ValidationError as error:
        messages = error.messages
    return {"password": password, "user": fields, "messages": messages}


def main():
    others = common_passwords() + numeric_passwords() + random_passwords()
    verdicts = [verdict(p, rng.choice(USERS)) for p in ["firefox1", "JOHNATHAN1", "happy1234", "december13"]]
    verdicts += [verdict(p, None) for p in ["iloveu", "885522"]]
    verdicts += [verdict("", user) for user in USERS]
    verdicts += [verdict(p, rng.choice(USERS)) for p in others]
    for user in (user for user in USERS if user and any(user.values())):
        verdicts += [verdict(p, user) for p in similar_passwords(user)]
    # One verdict a line, so a regenerated file diffs line by line; ASCII escapes show the odd
    # whitespace. Biome leaves the file alone (biome.json), so this output is final.
    header = {"django": django.get_version(), "python": sys.version.split()[0]}
    head = "".join(f"  {json.dumps(key)}: {json.dumps(value)},\n" for key, value in header.items())
    body = ",\n".join(f"    {json.dumps(v)}" for v in verdicts)
    OUTPUT.write_text(f'{{\n{head}  "verdicts": [\n{body}\n  ]\n}}\n')
    refusals = sum(1 for v in verdicts if v["messages"])
    print(f"wrote {len(verdicts)} verdicts ({refusals} refusals) from Django {django.get_version()} to {OUTPUT}")


main()
