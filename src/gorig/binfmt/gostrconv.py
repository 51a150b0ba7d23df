"""Go's ``strconv`` quoting rules, on bytes, exactly as ``runtime/debug`` uses them.

Build info keys and values are Go strings (arbitrary bytes). ``quote`` is
``strconv.Quote``; ``unquote`` is ``strconv.Unquote``; ``quoted_prefix`` is
``strconv.QuotedPrefix``. Each returns ``None`` where Go returns ``ErrSyntax``.
"""

from __future__ import annotations

_SIMPLE_ESCAPES = {
    ord("a"): 7, ord("b"): 8, ord("f"): 12, ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("v"): 11,
    ord("\\"): 92,
}  # fmt: skip
_QUOTE_ESCAPES = {7: b"\\a", 8: b"\\b", 12: b"\\f", 10: b"\\n", 13: b"\\r", 9: b"\\t", 11: b"\\v"}
_HEX = b"0123456789abcdefABCDEF"


def _decode_rune(data: bytes, i: int) -> tuple[int, int]:
    """Go's ``utf8.DecodeRune``: (rune, width), ``(0xFFFD, 1)`` for an invalid byte."""
    lead = data[i]
    if lead < 0x80:
        return lead, 1
    for width in (2, 3, 4):
        chunk = data[i : i + width]
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(text) == 1:
            return ord(text), width
    return 0xFFFD, 1


def is_print(rune: int) -> bool:
    """Go's ``unicode.IsPrint``: graphic characters and the ASCII space."""
    if rune < 0x100:
        return 0x20 <= rune <= 0x7E or (0xA1 <= rune <= 0xFF and rune != 0xAD)
    import unicodedata

    return unicodedata.category(chr(rune))[0] in "LMNPS"


def quote(data: bytes) -> bytes:
    """``strconv.Quote``: a double-quoted Go literal for ``data``."""
    out = bytearray(b'"')
    i = 0
    while i < len(data):
        rune, width = _decode_rune(data, i)
        if width == 1 and rune == 0xFFFD and data[i] >= 0x80:
            out += b"\\x%02x" % data[i]
        elif rune in (0x22, 0x5C):
            out += b"\\" + bytes([rune])
        elif is_print(rune):
            out += data[i : i + width]
        elif rune in _QUOTE_ESCAPES:
            out += _QUOTE_ESCAPES[rune]
        elif rune < 0x20 or rune == 0x7F:
            out += b"\\x%02x" % rune
        elif rune < 0x10000:
            out += b"\\u%04x" % rune
        else:
            out += b"\\U%08x" % rune
        i += width
    out += b'"'
    return bytes(out)


def _unquote_char(data: bytes, i: int, quote_byte: int) -> tuple[bytes, int] | None:
    """Go's ``strconv.UnquoteChar`` at ``data[i]``: (encoded bytes, next index)."""
    c = data[i]
    if c == quote_byte and quote_byte in (0x22, 0x27):
        return None
    if c >= 0x80:
        rune, width = _decode_rune(data, i)
        return chr(rune).encode(), i + width
    if c != 0x5C:
        return bytes([c]), i + 1
    if i + 1 >= len(data):
        return None
    c = data[i + 1]
    i += 2
    if c in _SIMPLE_ESCAPES:
        return bytes([_SIMPLE_ESCAPES[c]]), i
    if c in b"xuU":
        return _unquote_hex(data, i, c)
    if 0x30 <= c <= 0x37:
        digits = data[i : i + 2]
        if len(digits) < 2 or any(not 0x30 <= d <= 0x37 for d in digits):
            return None
        value = ((c - 0x30) << 6) | ((digits[0] - 0x30) << 3) | (digits[1] - 0x30)
        return (bytes([value]), i + 2) if value <= 255 else None
    if c in (0x27, 0x22):
        return (bytes([c]), i) if c == quote_byte else None
    return None


def _unquote_hex(data: bytes, i: int, kind: int) -> tuple[bytes, int] | None:
    """The ``\\xNN``, ``\\uNNNN`` and ``\\UNNNNNNNN`` escapes."""
    n = {0x78: 2, 0x75: 4, 0x55: 8}[kind]
    digits = data[i : i + n]
    if len(digits) < n or any(d not in _HEX for d in digits):
        return None
    value = int(digits, 16)
    if kind == 0x78:
        return bytes([value]), i + n
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return None
    return chr(value).encode(), i + n


def _unquote(data: bytes, unescape: bool) -> tuple[bytes, bytes] | None:
    """Go's internal ``unquote``: (value or literal, rest), or None for a syntax error."""
    if len(data) < 2:
        return None
    quote_byte = data[0]
    end = data.find(bytes([quote_byte]), 1)
    if end < 0:
        return None
    end += 1
    if quote_byte == 0x60:
        literal = data[:end]
        value = literal[1:-1].replace(b"\r", b"") if unescape else literal
        return value, data[end:]
    if quote_byte not in (0x22, 0x27):
        return None
    body = data[1 : end - 1]
    if quote_byte == 0x22 and b"\\" not in body and b"\n" not in body:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return (body if unescape else data[:end]), data[end:]
    return _unquote_escaped(data, quote_byte, unescape)


def _unquote_escaped(data: bytes, quote_byte: int, unescape: bool) -> tuple[bytes, bytes] | None:
    """The slow path of ``unquote``: a literal with escape sequences."""
    out = bytearray()
    i = 1
    while i < len(data) and data[i] != quote_byte:
        if data[i] == 0x0A:
            return None
        step = _unquote_char(data, i, quote_byte)
        if step is None:
            return None
        out += step[0]
        i = step[1]
        if quote_byte == 0x27:
            break
    if i >= len(data) or data[i] != quote_byte:
        return None
    return (bytes(out) if unescape else data[: i + 1]), data[i + 1 :]


def unquote(data: bytes) -> bytes | None:
    """``strconv.Unquote``: the value of a whole quoted literal, or None."""
    result = _unquote(data, True)
    if result is None or result[1]:
        return None
    return result[0]


def quoted_prefix(data: bytes) -> bytes | None:
    """``strconv.QuotedPrefix``: the quoted literal at the start of ``data``, or None."""
    result = _unquote(data, False)
    return None if result is None else result[0]
