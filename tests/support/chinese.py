"""What an English line left in gorig's Chinese output looks like (issue 15's acceptance).

A line is untranslated when it has no Chinese and two or more English words outside what
never changes with the language: a command line (gorig's, go's or docker's), options,
paths, ids, versions, URLs, quoted text, placeholders and ``KEY=VALUE`` settings.
"""

from __future__ import annotations

import re
from collections.abc import Collection

CHINESE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
QUOTED = re.compile(r"'[^']*'|`[^`]*`|\"[^\"]*\"|\[[^\]]*\]|\{[^}]*\}")
COMMAND = re.compile(r"(^[\s#]*|[(<$]\s?|\s\s)(gorig|docker) [a-z]|(^[\s#]*|/)go [a-z]")
NOT_WORDS = re.compile(r"\S*[-/.=:$@_+~<>(),]\S*")
ENGLISH_WORD = re.compile(r"(?<!\w)[A-Za-z][a-z]{2,}(?!\w)")


def untranslated(line: str, *, words: int = 2, ids: Collection[str] = ()) -> bool:
    """``line`` is English prose: no Chinese, not a command line, and ``words`` or more
    English words outside options, paths, ids (``ids`` names the bare ones, like GOMIPS's
    ``softfloat``), versions and quoted text."""
    if CHINESE.search(line):
        return False
    unquoted = QUOTED.sub(" ", line)
    if COMMAND.search(unquoted):
        return False
    prose = ENGLISH_WORD.findall(NOT_WORDS.sub(" ", unquoted))
    return len([word for word in prose if word not in ids]) >= words
