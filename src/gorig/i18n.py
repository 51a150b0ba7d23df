"""gorig's messages in the user's language: ``_`` and ``ngettext``, the one gettext pair.

A message is written in English in the code and wrapped: ``_("no toolchain installed")``.
The language comes from ``GORIG_LANG``, else the locale variables (``LANGUAGE``'s list, then
``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else on macOS the user's ``AppleLanguages``
preference. English needs nothing. Catalogs are ``.po`` files under
``gorig/locale/LANG/LC_MESSAGES``; each is compiled once into a GNU ``.mo`` in gorig's cache
directory (``compile_po``), so an editable install and a wheel behave the same and the
repository holds sources only. :class:`Catalog` reads that file as a message is asked for:
the standard library's ``gettext`` decodes a whole catalog on load (a few milliseconds more
for each command as the catalog grows) and is imported only for another plural rule.

Never translated: ids, JSON meant for programs, commands and paths inside messages (pass them
as placeholders), the marker lines of managed blocks and ``inspect -m``'s output.
Strings defined at import time are marked with ``N_`` and translated where they are shown.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

DOMAIN = "gorig"
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")
ENGLISH = "en"
# The catalogs gorig ships, and the languages each serves (lower case, "-" as "_"; a tag
# matches a language and everything under it). Traditional Chinese (Taiwan, Hong Kong, Macau,
# the Hant script) stays English until someone translates it; the rest of Chinese (zh_CN,
# zh_SG, zh_Hans...) is Simplified.
ENGLISH_FOR = ("en", "c", "posix", "zh_tw", "zh_hk", "zh_mo", "zh_hant")
CATALOGS = {"zh_CN": ("zh",)}
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

MO_MAGIC = 0x950412DE  # GNU gettext's .mo files, little-endian
_UNSET = object()
_catalog: Catalog | object | None = _UNSET


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; it is translated where it is shown, with ``_``."""
    return message


def _(message: str) -> str:
    """``message`` in the user's language (itself in English or when not yet translated)."""
    catalog = _active()
    return message if catalog is None else catalog.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """``singular`` or ``plural`` for ``count``, in the user's language."""
    catalog = _active()
    if catalog is None:
        return singular if count == 1 else plural
    return catalog.ngettext(singular, plural, count)


def language() -> str:
    """The catalog in use (``"zh_CN"``) or ``"en"``."""
    catalog = _active()
    return ENGLISH if catalog is None else str(catalog.info().get("language", ENGLISH))


def catalog_of(tag: str) -> str | None:
    """The catalog serving the language tag ``tag`` (``zh_CN.UTF-8``, ``zh-Hans-CN``, ``en_US``):
    a name of ``CATALOGS``, ``"en"`` for English and for languages that fall back to it, or
    None for a language gorig has no word on (the next preference is asked)."""
    name = tag.split(".")[0].split("@")[0].replace("-", "_").lower()

    def under(languages: Sequence[str]) -> bool:
        return any(name == language or name.startswith(language + "_") for language in languages)

    if under(ENGLISH_FOR):
        return ENGLISH
    return next((catalog for catalog, languages in CATALOGS.items() if under(languages)), None)


def choose(env: Mapping[str, str], apple_languages: Sequence[str] = ()) -> str:
    """The catalog for ``env`` (``"en"`` when English): ``GORIG_LANG``, then GNU gettext's
    order (``LANGUAGE``'s list unless the locale is C, then the locale from ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``), then ``apple_languages`` when no variable is set."""
    if env.get("GORIG_LANG"):
        return catalog_of(env["GORIG_LANG"]) or ENGLISH
    locale = next((env[name] for name in LOCALE_VARIABLES if env.get(name)), "")
    if locale.split(".")[0] in ("C", "POSIX"):  # GNU gettext ignores LANGUAGE then
        return ENGLISH
    preferences = [tag for tag in env.get("LANGUAGE", "").split(":") if tag]
    preferences += [locale] if locale else list(apple_languages)
    return next(filter(None, map(catalog_of, preferences)), ENGLISH)


def _needs_apple_languages(env: Mapping[str, str]) -> bool:
    names = ("GORIG_LANG", "LANGUAGE", *LOCALE_VARIABLES)
    return sys.platform == "darwin" and not any(env.get(name) for name in names)


def _active() -> Catalog | None:
    global _catalog
    if _catalog is _UNSET:
        env = os.environ
        preferred: Sequence[str] = ()
        if _needs_apple_languages(env):
            from gorig.host.darwin import apple_languages

            preferred = apple_languages()
        chosen = choose(env, preferred)
        _catalog = None if chosen == ENGLISH else load(chosen)
    return _catalog  # type: ignore[return-value]


def reset() -> None:
    """Choose the language again on the next message (tests change the environment)."""
    global _catalog
    _catalog = _UNSET


def load(catalog: str) -> Catalog | None:
    """The compiled catalog ``catalog``, from the cache or compiled now; None if missing."""
    source = os.path.join(LOCALE_DIR, catalog, "LC_MESSAGES", f"{DOMAIN}.po")
    try:
        stat = os.stat(source)
    except OSError:
        return None
    cached = os.path.join(_cache_dir(), "locale", f"{catalog}-{stat.st_size}-{stat.st_mtime_ns}.mo")
    try:
        with open(cached, "rb") as mo:
            return Catalog(mo.read())
    except (OSError, ValueError):
        pass  # none yet, or not a catalog gorig wrote: compiled again
    with open(source, encoding="utf-8") as po:
        compiled = compile_po(po.read())
    _save(cached, compiled)
    return Catalog(compiled)


class Catalog:
    """A compiled catalog (a ``.mo`` file's bytes) read as needed: a message is found by
    binary search in the file's sorted table, so a command does not pay for decoding every
    message of the catalog (``gettext.GNUTranslations`` does) to print a few of them.
    ``gettext`` is imported only for a plural formula other than Chinese's single form."""

    def __init__(self, data: bytes) -> None:
        import struct

        if len(data) < 28 or struct.unpack_from("<I", data)[0] != MO_MAGIC:
            raise ValueError("not a little-endian .mo file")
        count, ids_at, strs_at = struct.unpack_from("<3I", data, 8)
        tables = [data[at : at + 8 * count] for at in (ids_at, strs_at)]
        if any(len(table) != 8 * count for table in tables) or any(
            offset + length > len(data)
            for table in tables
            for length, offset in struct.iter_unpack("<2I", table)
        ):
            raise ValueError("a .mo table points past the end of the file")
        self._data, self._count, self._ids_at, self._strs_at = data, count, ids_at, strs_at
        self._unpack = struct.unpack_from
        self._plural: Callable[[int], int] | None = None
        self._headers = dict(
            line.partition(": ")[::2] for line in self._lookup(b"").splitlines() if ": " in line
        )

    def _entry(self, table_at: int, index: int) -> bytes:
        length, offset = self._unpack("<2I", self._data, table_at + 8 * index)
        return self._data[offset : offset + length]

    def _lookup(self, key: bytes) -> str:
        """The translation of ``key`` (UTF-8, NUL between singular and plural), or ""."""
        low, high = 0, self._count
        while low < high:  # the table is sorted by the keys' bytes (compile_po sorts them)
            middle = (low + high) // 2
            found = self._entry(self._ids_at, middle)
            if found == key:
                return self._entry(self._strs_at, middle).decode("utf-8", "replace")
            low, high = (middle + 1, high) if found < key else (low, middle)
        return ""

    def gettext(self, message: str) -> str:
        if not isinstance(message, str):  # argparse hands on an option's help=None
            return message
        return self._lookup(message.encode("utf-8")) or message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        forms = self._lookup(f"{singular}\0{plural}".encode()).split("\0")
        index = self._plural_index(count)
        if forms == [""] or index >= len(forms):
            return singular if count == 1 else plural
        return forms[index]

    def _plural_index(self, count: int) -> int:
        if self._plural is None:
            rule = self._headers.get("Plural-Forms", "").partition("plural=")[2].rstrip("; ")
            if rule in ("", "0"):
                self._plural = lambda _count: 0
            else:
                from gettext import c2py

                self._plural = c2py(rule)
        return self._plural(count)

    def info(self) -> dict[str, str]:
        """The catalog's header, by lower-case name (``language``), as gettext gives it."""
        return {name.lower(): value for name, value in self._headers.items()}


def _cache_dir() -> str:
    from gorig.host.dirs import user_dir

    return user_dir("cache", os.environ)


def _save(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, and remove the catalog's earlier compilations
    (an upgraded gorig's catalog has another size or time); a cache that cannot be written
    is skipped."""
    from gorig.fs import write_atomic

    directory, name = os.path.split(path)
    stem = name.split("-", 1)[0] + "-"
    try:
        os.makedirs(directory, exist_ok=True)
        write_atomic(path, data)
        for other in os.listdir(directory):
            if other.startswith(stem) and other.endswith(".mo") and other != name:
                os.unlink(os.path.join(directory, other))
    except OSError:
        pass  # the next run compiles the catalog again


def parse_po(text: str) -> dict[str, str]:
    """The translated messages of a ``.po`` file: msgid -> msgstr, as ``.mo`` keys them.

    Plural entries become ``singular\\0plural`` -> forms joined by NUL; fuzzy and
    untranslated entries are left out (msgfmt's rule), the header (msgid "") is kept.
    """
    messages: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    field = ""
    fuzzy = False

    def finish() -> None:
        nonlocal fuzzy
        ident = "".join(entry.get("msgid", []))
        if "msgid_plural" in entry:
            ident += "\0" + "".join(entry["msgid_plural"])
        forms = [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]
        translation = "\0".join("".join(form) for form in forms)
        if entry and translation.strip("\0") and not (fuzzy and ident):
            messages[ident] = translation
        entry.clear()
        fuzzy = False

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#,") and "fuzzy" in line:
            if entry:
                finish()
            fuzzy = True
        elif not line or line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry.setdefault(field, []).append(_unquote(line))
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword == "msgid" and "msgstr" in "".join(entry):
                finish()
            field = keyword
            entry.setdefault(field, []).append(_unquote(rest.strip()))
    if entry:
        finish()
    return messages


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(quoted: str) -> str:
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise ValueError(f"not a quoted .po string: {quoted[:40]!r}")
    body, out, index = quoted[1:-1], [], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            index += 1
            char = _ESCAPES.get(body[index], "\\" + body[index])
        out.append(char)
        index += 1
    return "".join(out)


def compile_po(text: str) -> bytes:
    """A ``.mo`` file (GNU gettext's binary catalog) holding ``text``'s translations."""
    import struct

    messages = parse_po(text)
    keys = sorted(messages)
    ids = [key.encode("utf-8") for key in keys]
    strs = [messages[key].encode("utf-8") for key in keys]
    count = len(keys)
    header_size = 7 * 4
    ids_start = header_size + count * 16
    id_offsets, str_offsets = [], []
    offset = ids_start
    for data in ids:
        id_offsets += [len(data), offset]
        offset += len(data) + 1
    for data in strs:
        str_offsets += [len(data), offset]
        offset += len(data) + 1
    table = struct.pack(f"<{4 * count}I", *id_offsets, *str_offsets)
    head = struct.pack("<7I", MO_MAGIC, 0, count, header_size, header_size + count * 8, 0, 0)
    return head + table + b"".join(data + b"\0" for data in ids + strs)
