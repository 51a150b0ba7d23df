"""gorig in the user's language: the choice of language, the catalogs, and real runs in zh-CN.

The catalog is checked against the code (every message extracted by Babel is translated,
with the same placeholders) and the compiled form against Babel's own compiler. Real runs
under ``LANG=zh_CN.UTF-8`` are compared with reviewed outputs in ``tests/core/zh_CN/``.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gorig import i18n
from gorig.cli.output import cells, pad, table, wrap
from gorig.host.darwin import decode_apple_languages
from support.chinese import untranslated
from support.sourcetrees import parsed
from support.terminal import run_in_terminal

babel = pytest.importorskip("babel", reason="Babel (catalog checks) is in the test extra")
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "gorig"
PO = SOURCE / "locale" / "zh_CN" / "LC_MESSAGES" / "gorig.po"
EXPECTED = Path(__file__).with_name("zh_CN")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|%[sdr]|\{[^{}]*\}")


@pytest.mark.parametrize(
    ("tag", "catalog"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh_SG.GB2312", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("zh_Hans", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_TW.UTF-8", "en"),
        ("zh_HK", "en"),
        ("zh-Hant-TW", "en"),
        ("en_US.UTF-8", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("fr_FR.UTF-8", None),
        ("../../etc/passwd", None),
    ],
)
def test_language_tags_map_to_catalogs(tag, catalog):
    assert i18n.catalog_of(tag) == catalog


@pytest.mark.parametrize(
    ("env", "apple", "chosen"),
    [
        ({"LANG": "zh_CN.UTF-8"}, (), "zh_CN"),
        ({"GORIG_LANG": "en", "LANG": "zh_CN.UTF-8"}, (), "en"),
        ({"GORIG_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, (), "zh_CN"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, (), "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, (), "zh_CN"),
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:zh_CN:en"}, (), "zh_CN"),
        ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "en"}, (), "en"),
        ({"LC_ALL": "C", "LANGUAGE": "zh_CN"}, (), "en"),  # GNU: LANGUAGE is ignored in C
        ({"LANG": "zh_TW.UTF-8"}, (), "en"),
        ({"LANG": "de_DE.UTF-8"}, (), "en"),
        ({}, ("zh-Hans-CN", "en-CN"), "zh_CN"),
        ({}, ("ja-JP", "zh-Hans-CN"), "zh_CN"),
        ({}, ("zh-Hant-TW", "zh-Hans-CN"), "en"),
        ({"LANG": "en_US.UTF-8"}, ("zh-Hans-CN",), "en"),
        ({}, (), "en"),
    ],
)
def test_language_choice_order(env, apple, chosen):
    assert i18n.choose(env, apple) == chosen


# `defaults read -g AppleLanguages` as printed on macOS 14 and 15 (recorded).
RECORDED_APPLE_LANGUAGES = [
    ('(\n    "zh-Hans-CN",\n    "en-CN"\n)\n', ["zh-Hans-CN", "en-CN"]),
    ("(\n    en,\n    \"zh-Hans\"\n)\n", ["en", "zh-Hans"]),
    ('(\n    "en-US"\n)\n', ["en-US"]),
    ("", []),
    ("The domain/default pair of (kCFPreferencesAnyApplication, AppleLanguages) does not exist\n",
     []),
    ('(\n    "$(rm -rf ~)",\n    "zh-Hans-CN"\n)', ["zh-Hans-CN"]),
]  # fmt: skip


@pytest.mark.parametrize(("printed", "tags"), RECORDED_APPLE_LANGUAGES)
def test_apple_languages_are_decoded(printed, tags):
    assert decode_apple_languages(printed) == tags


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as source:
        return read_po(source, locale="zh_CN")


def code_messages() -> dict[str | tuple[str, ...], str]:
    """Every message id Babel extracts from gorig's code (babel.cfg's rules), by id -> file."""
    found = {}
    keywords = {**DEFAULT_KEYWORDS, "check": (3,)}  # a doctor check's summary (babel.cfg)
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=keywords
    ):
        found[message] = filename
    return found


def test_every_message_in_the_code_is_translated(catalog):
    missing = []
    for message, filename in code_messages().items():
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        strings = [] if entry is None else entry.string
        strings = [strings] if isinstance(strings, str) else list(strings)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(f"{filename}: {key!r}")
    assert missing == []


def test_translations_keep_the_placeholders(catalog):
    wrong = []
    for entry in catalog:
        if not entry.id:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        wanted = sorted(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if sorted(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((ids[0], string))
    assert wrong == []


def test_compiled_catalog_matches_babels(catalog):
    """gorig's own .po compiler (run once into the cache) gives what Babel's msgfmt gives."""
    ours = gettext.GNUTranslations(io.BytesIO(i18n.compile_po(PO.read_text(encoding="utf-8"))))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    theirs = gettext.GNUTranslations(compiled)
    assert ours.info()["language"] == "zh_CN"
    for entry in catalog:
        if entry.id and isinstance(entry.id, str):
            assert ours.gettext(entry.id) == theirs.gettext(entry.id) == entry.string
    assert ours._catalog == theirs._catalog  # type: ignore[attr-defined]


def test_gorigs_catalog_reader_gives_what_gettext_gives(catalog):
    """i18n.Catalog (a binary search in the compiled file, no gettext import) answers every
    message, plural and header as gettext.GNUTranslations does over the same bytes."""
    compiled = i18n.compile_po(PO.read_text(encoding="utf-8"))
    ours, theirs = i18n.Catalog(compiled), gettext.GNUTranslations(io.BytesIO(compiled))
    assert ours.info()["language"] == theirs.info()["language"] == "zh_CN"
    for entry in catalog:
        if not entry.id:
            continue
        if isinstance(entry.id, str):
            assert ours.gettext(entry.id) == theirs.gettext(entry.id)
        else:
            for count in (0, 1, 2, 11):
                singular, plural = entry.id[:2]
                assert ours.ngettext(singular, plural, count) == theirs.ngettext(
                    singular, plural, count
                )
    assert ours.gettext("not a message of gorig") == "not a message of gorig"
    assert ours.ngettext("one thing", "{n} things", 2) == "{n} things"


def test_a_plural_rule_other_than_chinese_is_gettexts():
    text = (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
        'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "{n} file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} файл"\n'
        'msgstr[1] "{n} файла"\nmsgstr[2] "{n} файлов"\n'
    )
    ours = i18n.Catalog(i18n.compile_po(text))
    shown = [ours.ngettext("{n} file", "{n} files", n) for n in (1, 3, 5, 21)]
    assert shown == ["{n} файл", "{n} файла", "{n} файлов", "{n} файл"]


@pytest.mark.parametrize("damage", [b"", b"\xde\x12\x04\x95", b"not a catalog at all, really"])
def test_a_damaged_cached_catalog_is_compiled_again(damage, tmp_path):
    cache = tmp_path / "cache"
    run(["--help"], {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(cache)})
    (compiled,) = (cache / "gorig" / "locale").glob("zh_CN-*.mo")
    good = compiled.read_bytes()
    compiled.write_bytes(damage or good[: len(good) // 2])
    done = run(["--help"], {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(cache)})
    assert done.returncode == 0 and done.stdout == expected("help.txt")
    assert compiled.read_bytes() == good


def test_po_parser_reads_escapes_plurals_and_skips_fuzzy():
    text = (
        'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n\n'
        'msgid "a \\"quoted\\"\\tword\\n"\nmsgstr "一个\\"词\\"\\t\\n"\n\n'
        '#, fuzzy\nmsgid "unsure"\nmsgstr "不确定"\n\n'
        'msgid "one file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} 个文件"\n\n'
        'msgid "untranslated"\nmsgstr ""\n\n'
        'msgid "long "\n"line"\nmsgstr "长"\n"行"\n'
    )
    assert i18n.parse_po(text) == {
        "": "Language: zh_CN\n",
        'a "quoted"\tword\n': '一个"词"\t\n',
        "one file\0{n} files": "{n} 个文件",
        "long line": "长行",
    }


def run(args, env, cwd=None):
    full = {"PATH": os.environ["PATH"], "HOME": env.pop("HOME", "/nonexistent"), **env}
    return subprocess.run([sys.executable, "-m", "gorig", *args], env=full, cwd=cwd,
                          capture_output=True, text=True, check=False)  # fmt: skip


def expected(name: str) -> str:
    return (EXPECTED / name).read_text(encoding="utf-8")


def test_catalog_is_compiled_once_into_the_cache(tmp_path):
    cache = tmp_path / "cache"
    first = run(["--help"], {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(cache)})
    (compiled,) = (cache / "gorig" / "locale").glob("zh_CN-*.mo")
    stamp = compiled.stat().st_mtime_ns
    second = run(["--help"], {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(cache)})
    assert first.stdout == second.stdout == expected("help.txt")
    assert compiled.stat().st_mtime_ns == stamp
    assert list(compiled.parent.iterdir()) == [compiled]


def test_an_earlier_compilation_is_removed_when_the_catalog_changes(tmp_path):
    """An upgraded gorig compiles its new catalog; the old one does not stay in the cache."""
    locale = tmp_path / "cache" / "gorig" / "locale"
    locale.mkdir(parents=True)
    (locale / "zh_CN-383-1.mo").write_bytes(b"an older gorig's catalog")
    (locale / "xx_YY-1-1.mo").write_bytes(b"another language's")
    done = run(["--help"], {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert done.stdout == expected("help.txt")
    names = sorted(path.name for path in locale.iterdir())
    assert len(names) == 2 and names[0] == "xx_YY-1-1.mo" and names[1].startswith("zh_CN-")
    assert names[1] != "zh_CN-383-1.mo"


def test_an_unwritable_cache_still_speaks_chinese(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    done = run(["--help"], {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(blocker)})
    assert done.returncode == 0 and done.stdout == expected("help.txt")


@pytest.mark.parametrize("lang", ["en_US.UTF-8", "zh_TW.UTF-8", "C"])
def test_english_is_the_code_itself(lang, tmp_path):
    done = run(["--help"], {"LANG": lang, "XDG_CACHE_HOME": str(tmp_path)})
    assert done.stdout.startswith("Usage: gorig [--version] COMMAND [ARGS]...\n")
    assert not (tmp_path / "gorig").exists()  # nothing compiled for English


@pytest.mark.parametrize(
    ("args", "name", "code"),
    [
        (["--help"], "help.txt", 0),
        (["list", "--bogus"], "usage-error.txt", 2),
        (["frobnicate"], "unknown-command.txt", 2),
        (["which", "--help"], "which-help.txt", 0),
        (["install", "--help"], "install-help.txt", 0),
        (["doctor", "--help"], "doctor-help.txt", 0),
        (["shell", "setup", "--help"], "shell-setup-help.txt", 0),
    ],
)
def test_real_runs_in_chinese(args, name, code, tmp_path):
    done = run(args, {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(tmp_path), "COLUMNS": "100"})
    assert done.returncode == code
    assert done.stdout + done.stderr == expected(name)


@pytest.mark.parametrize("width", [30, 44, 60])
def test_chinese_help_lines_fit_the_terminal(width, tmp_path):
    """argparse counts characters; gorig wraps Chinese help by display width instead."""
    env = {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(tmp_path), "COLUMNS": str(width + 2)}
    done = run(["doctor", "--help"], env)
    options = done.stdout.split("选项：", 1)[1].split("退出状态", 1)[0]
    assert "，一起" not in options and max(map(cells, options.splitlines())) <= width


def test_wide_text_is_measured_and_wrapped_by_cells():
    assert cells("工具链") == 6 and cells("go1.22") == 6 and cells("Go 工具链") == 9
    assert pad("工具链", 8) == "工具链  "
    text = "同时把采集到的信息写入 FILE（主目录显示为 ~，敏感信息已隐去）"
    lines = wrap(text, 20)
    assert all(cells(line) <= 20 and not line.startswith(("，", "）")) for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap("goproxy[:URL]、pypi、file:PATH", 15) == ["goproxy[:URL]、", "pypi、file:PATH"]


def test_plain_table_columns_align_by_display_width(capsys):
    table(["版本", "状态"], [["1.22.5", "默认"], ["1.23.0", "已安装"]])
    lines = capsys.readouterr().out.splitlines()
    second = [
        cells(line[: line.index(word)])
        for line, word in zip(lines, ["状态", "默认", "已安装"], strict=True)
    ]
    assert second == [8, 8, 8]


def command_paths() -> list[list[str]]:
    """Every command and sub-command, from the parsers themselves."""
    import argparse

    from gorig.cli import COMMANDS, command_parser

    paths = []
    for name in COMMANDS:
        paths.append([name])
        for action in command_parser(name)._actions:
            if isinstance(action, argparse._SubParsersAction):
                paths += [[name, sub] for sub in action.choices]
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_help_has_no_untranslated_line(path, tmp_path):
    done = run([*path, "--help"], {"LANG": "zh_CN.UTF-8", "XDG_CACHE_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    left = [line for line in done.stdout.splitlines() if untranslated(line)]
    assert left == []


def test_the_untranslated_line_finder_finds_english():
    assert untranslated("  --explain   Say why the toolchain was chosen.")
    assert not untranslated("  --explain   说明原因。")
    assert not untranslated("        gorig completion bash > ~/.local/share/bash-completion/x")
    assert not untranslated("  bash  source <(gorig completion bash)")
    assert not untranslated("                 [--signing-key FILE] [--verify-sumdb] [--json]")


BORDERS = "┃│┏┳┓┡╇┩└┴┘"


def border_columns(line: str) -> list[int]:
    """The terminal columns (in cells) where ``line`` draws a table's vertical borders."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
    return [cells(plain[:at]) for at, char in enumerate(plain) if char in BORDERS]


@pytest.mark.parametrize("width", [60, 100])
def test_chinese_table_on_a_terminal_aligns_by_display_width(width, tmp_path):
    """`gorig targets` on a pseudo-terminal: Rich's table, Chinese headers whole, every
    border in the same terminal column on every line."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "zh_CN.UTF-8",
           "GORIG_HOME": str(tmp_path / "gorig"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "COLUMNS": str(width), "LINES": "40", "TERM": "xterm"}  # fmt: skip
    code, shown = run_in_terminal(
        [sys.executable, "-m", "gorig", "targets", "--go", "1.22"], env, cwd=tmp_path
    )
    assert code == 0, shown
    drawn = [line for line in shown.splitlines() if line[:1] in BORDERS]
    header = next(line for line in drawn if "一级平台" in line)
    assert "平台" in header and "不可用" in header  # headers whole, not folded
    first_table = drawn[: next(i for i, line in enumerate(drawn) if line.startswith("└")) + 1]
    columns = {tuple(border_columns(line)) for line in first_table}
    assert len(columns) == 1 and max(columns.pop()) < width


def test_no_function_hides_the_translation_function():
    """A function that calls ``_()`` and also names a throwaway ``_`` (``a, _, b = ...``)
    calls a string or raises UnboundLocalError: only on the path that shows the message."""
    import ast

    hiding = []
    for path in sorted(SOURCE.rglob("*.py")):
        for function in ast.walk(parsed(path)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            nodes = list(ast.walk(function))
            binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                        for n in nodes)  # fmt: skip
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                        and n.func.id == "_" for n in nodes)  # fmt: skip
            if binds and calls:
                hiding.append(f"{path.relative_to(SOURCE)}:{function.lineno} {function.name}")
    assert hiding == []


def test_every_literal_message_is_in_the_catalog_even_inside_f_strings(catalog):
    """Babel's extractor skips f-strings, so a ``_("...")`` written inside one would never
    reach the catalog; the syntax tree sees every call."""
    import ast

    missing = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(parsed(path)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in ("_", "N_", "ngettext") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    entry = catalog.get(first.value)
                    if entry is None or not entry.string:
                        missing.append(f"{path.relative_to(SOURCE)}:{node.lineno} {first.value!r}")
    assert missing == []
