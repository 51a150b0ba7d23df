"""Facts documents on disk: loading a saved one, and redacting one before it is shared.

A saved document shows the home directory as ``~`` and hides secrets: credentials in URLs
(``https://user:token@host``), token-like query parameters, and variables named like
secrets. Diagnosing it elsewhere works because the checks treat ``~`` as the home.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gorig.errors import GorigError

SCHEMA = 1  # the facts document's version; bump it when a section changes meaning
REDACTED = "***"
URL_CREDENTIALS = r"(?P<scheme>[a-zA-Z][\w+.-]*://)[^/@\s]+@"
SECRET_QUERY = r"(?P<key>[?&][^=&\s]*(?:token|key|secret|password|auth)[^=&\s]*=)[^&\s,|]+"
SECRET_NAME = r"TOKEN|SECRET|PASSWORD|PASSWD|APIKEY|API_KEY|CREDENTIAL"


def redact_text(text: str, home: str) -> str:
    """``text`` with URL credentials and token parameters hidden and ``home`` shown as ``~``."""
    # Patterns compile on first use (re caches them): most runs never save anything.
    text = re.sub(URL_CREDENTIALS, lambda m: f"{m['scheme']}{REDACTED}@", text)
    text = re.sub(SECRET_QUERY, lambda m: f"{m['key']}{REDACTED}", text, flags=re.IGNORECASE)
    if home and home != "/":
        text = re.sub(re.escape(home.rstrip("/")) + r"(?=/|$|:|\s)", "~", text)
    return text


def redact(value: Any, home: str, key: str = "") -> Any:
    """A copy of a facts document (or any part of it) safe to share."""
    if isinstance(value, dict):
        return {k: redact(v, home, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item, home, key) for item in value]
    if isinstance(value, str):
        return (
            REDACTED
            if value and re.search(SECRET_NAME, key, re.IGNORECASE)
            else redact_text(value, home)
        )
    return value


def dumps(facts: dict[str, Any]) -> str:
    """The redacted document as JSON text, ready for ``--save``."""
    home = facts.get("env", {}).get("HOME", "")
    return json.dumps(redact(facts, home), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def loads(text: str, source: str) -> dict[str, Any]:
    """A saved facts document; a clear error when it is not one this gorig reads."""
    try:
        facts = json.loads(text)
    except ValueError as error:
        raise GorigError(
            f"{source} is not JSON ({error}); pass a file written by 'gorig doctor --save'",
            exit_code=2,
        ) from None
    if not isinstance(facts, dict) or "schema" not in facts or "host" not in facts:
        raise GorigError(
            f"{source} is not a gorig facts file (no schema/host); pass a file "
            "written by 'gorig doctor --save'",
            exit_code=2,
        )
    if facts["schema"] != SCHEMA:
        raise GorigError(
            f"{source} has facts schema {facts['schema']!r}; this gorig reads "
            f"schema {SCHEMA}: save it again with this version",
            exit_code=2,
        )
    return facts
