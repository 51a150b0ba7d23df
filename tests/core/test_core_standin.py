"""gorig.standin: a module imported without one of its imports, which stays importable.

Each case runs in a fresh interpreter, since what is already imported is the point.
"""

from __future__ import annotations

import subprocess
import sys


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_pathlib_without_urllib_parse_still_makes_uris():
    """Path.as_uri (pathlib's one use of urllib.parse) imports the real quoting on first
    call; until then urllib.parse is not loaded, and after it is the real module."""
    out = run_python(
        "import sys\n"
        "from gorig.paths import Path\n"
        "print('urllib.parse' in sys.modules, 'ipaddress' in sys.modules)\n"
        "print(Path('/tmp/a b/ü').as_uri())\n"
        "import urllib.parse\n"
        "print(urllib.parse.urlsplit('https://h/p').netloc, urllib.parse.quote('a b'))\n"
    )
    assert out.splitlines() == ["False False", "file:///tmp/a%20b/%C3%BC", "h a%20b"]


def test_a_module_imported_first_is_used_as_it_is():
    """When the skipped module is already loaded, the importer gets the real one."""
    out = run_python(
        "import sys, urllib.parse\n"
        "real = urllib.parse.quote_from_bytes\n"
        "from gorig.paths import Path\n"
        "import pathlib\n"
        "print(pathlib.urlquote_from_bytes is real, sys.modules['urllib.parse'] is urllib.parse)\n"
    )
    assert out.split() == ["True", "True"]


def test_argparse_gets_gorigs_gettext_pair_and_gettext_stays_importable():
    out = run_python(
        "import sys\n"
        "import gorig.cli.args, gorig.i18n, argparse\n"
        "print('gettext' in sys.modules, argparse._ is gorig.i18n._)\n"
        "import gettext\n"
        "print(gettext.GNUTranslations.__name__)\n"
    )
    assert out.split() == ["False", "True", "GNUTranslations"]


def test_a_module_wanting_more_than_the_stand_in_is_imported_for_real(tmp_path):
    """Another Python release's module may bind names the stand-in lacks: gorig must still
    start, with the real module in both places."""
    (tmp_path / "wantsmore.py").write_text("from json import dumps, loads\n")
    out = run_python(
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "from gorig.standin import import_without\n"
        "import_without('wantsmore', 'json', dumps=print)\n"
        "import json, wantsmore\n"
        "print(wantsmore.loads is json.loads, wantsmore.dumps is json.dumps)\n"
    )
    assert out.split() == ["True", "True"]
