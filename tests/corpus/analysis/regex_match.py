# feature: receiver-type
"""Regular-expression matches are typed: `m.group()` is `re.Match.group`, which shares its
name and arity with the blocking `Path.group()` (a lookup in the group database)."""

import pathlib
import re

DAY_RE = re.compile(r"(\d{1,2})")


class CookieDates:
    TOKENS_RE = re.compile(r"(?P<token>[\w:]+)")

    @classmethod
    def day(cls, header: str) -> int | None:
        for token_match in cls.TOKENS_RE.finditer(header):
            token = token_match.group("token")
            day_match = DAY_RE.match(token)
            if day_match:
                return int(day_match.group())
        return None


async def parse_cookie_date(header: str) -> int | None:
    found = re.search(r"\d{4}", header)
    year = found.group() if found else None  # ok: re.Match.group
    return CookieDates.day(header) or (int(year) if year else None)  # ok: regex matches only


async def upload_group(path: pathlib.Path) -> str:
    return path.group()  # expect: BIO106
