"""The catalog rows, read from src/catalog/*.toml, for the capture tools.

The capture tools send every row's documented message and its aliases, and write manifests
that say which entry a printed message identifies.  Both need the rows as data, read here
from the same files errwatch embeds (never from a list kept in a tool), and a way to tell,
independently of errwatch, which rows a message text equals.

A text equals a row's template when it is the template with every placeholder (`{id}`,
`%s`, `${field}`, `{{Parameter}}`) replaced by some non-empty text: exact otherwise, no
tolerance for extra spaces, punctuation or a request-id tail.
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from typing import Callable, Dict, List, Optional

REPO = Path(__file__).resolve().parent.parent.parent
CATALOG_DIR = REPO / "src" / "catalog"
PROVIDERS = ("zhipu", "ppio", "coze", "volcengine")

PLACEHOLDER = re.compile(r"\$\{(\w+)\}|\{\{(\w+)\}\}|\{(\w+)\}|(%s)")


@dataclasses.dataclass(frozen=True)
class Row:
    provider: str
    code: str
    variant: Optional[str]
    http_status: Optional[int]
    api: str
    type: Optional[str]
    message: str
    aliases: tuple
    category: str

    def texts(self) -> List[str]:
        return [self.message, *self.aliases]


def load() -> Dict[str, List[Row]]:
    rows: Dict[str, List[Row]] = {}
    for provider in PROVIDERS:
        data = tomllib.loads((CATALOG_DIR / f"{provider}.toml").read_text(encoding="utf-8"))
        if data["provider"] != provider:
            raise SystemExit(f"{provider}.toml names provider {data['provider']!r}")
        rows[provider] = [
            Row(provider, e["code"], e.get("variant"), e.get("http_status"), e["api"], e.get("type"),
                e["message"], tuple(e.get("aliases", [])), e["category"])
            for e in data["entry"]
        ]
    return rows


def placeholder_name(m: "re.Match[str]") -> str:
    return next(g for g in m.groups() if g is not None)


def fill(text: str, value: Callable[[str, int], str]) -> str:
    """`text` with each placeholder replaced by `value(name, index)`; `%s` is named "%s"."""
    count = [0]

    def one(m: "re.Match[str]") -> str:
        count[0] += 1
        return value(placeholder_name(m), count[0] - 1)

    return PLACEHOLDER.sub(one, text)


_REGEX_CACHE: Dict[str, "re.Pattern[str]"] = {}


def template_regex(template: str) -> "re.Pattern[str]":
    rx = _REGEX_CACHE.get(template)
    if rx is None:
        parts, at = [], 0
        for m in PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[at:m.start()]))
            parts.append(".+?")
            at = m.end()
        parts.append(re.escape(template[at:]))
        rx = _REGEX_CACHE[template] = re.compile("".join(parts), re.S)
    return rx


def equals_template(text: str, template: str) -> bool:
    return template_regex(template).fullmatch(text) is not None


def rows_with_message(rows: List[Row], status: Optional[int], text: str) -> List[Row]:
    """The rows whose message or an alias the text equals, among those whose documented status
    is `status` (rows without a documented status fit any)."""
    return [r for r in rows
            if (r.http_status is None or status is None or r.http_status == status)
            and any(equals_template(text, t) for t in r.texts())]


def send_status(row: Row) -> Optional[int]:
    """The HTTP status an error of this row is sent with.

    The documented status where there is one.  Coze errors arrive in HTTP 200 (None here).
    Z.ai business codes have no documented status; they are sent the way BigModel sends them
    (public reports: 401 for the 100x auth codes, 429 for the 11xx account codes and the
    1302-1309 limits, 400 for the 12xx call errors and 1301, 500 for 500 and 1234).
    """
    if row.http_status is not None:
        return row.http_status
    if row.provider == "coze":
        return None
    if row.provider == "zhipu":
        n = int(row.code)
        if n == 500 or n == 1234:
            return 500
        if 1000 <= n < 1100:
            return 401
        if 1100 <= n < 1200:
            return 429
        if 1200 <= n < 1302:
            return 400
        return 429
    return 400
