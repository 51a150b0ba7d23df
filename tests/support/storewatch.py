"""A concurrent reader of a gorig store: what a user's shell sees while gorig changes it.

Run as ``python storewatch.py SPEC.json`` beside a test. Until the file ``SPEC["stop"]``
exists it loops over the links ``SPEC["links"]`` ({"bin/go": ["go1.26.6", ...], ...}):
a link named in ``SPEC["required"]`` must resolve; any link that exists must not dangle, must
run (``LINK version``) and name one of its allowed versions, and the GOROOT it resolves into
must hold every file of ``SPEC["files"]`` (the archive's members). Only an optional link that
was removed while its ``go`` ran may fail to run. After each full pass it
writes the pass count to ``SPEC["passes"]``, so a test can wait until a state was seen. At the
end it prints ``{"passes": N, "failures": [...]}`` as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def check(home: Path, link: str, allowed: list[str], required: bool, files: list[str]) -> str:
    """'' when ``link`` is fine, else what is wrong with it."""
    path = home / link
    problem = _problem(path, allowed, files)
    if problem and not required and not os.path.lexists(path):
        return ""  # uninstalled while it was being checked: that is what removing it means
    return f"{link} {problem}" if problem else ""


def _problem(path: Path, allowed: list[str], files: list[str]) -> str:
    if not os.path.lexists(path):
        return "is missing"
    root = path.resolve().parent.parent
    if not path.exists():
        return f"dangles ({path.readlink()})"
    try:
        done = subprocess.run([path, "version"], capture_output=True, text=True, timeout=60)
    except OSError as error:  # removed between the check and the exec
        return f"cannot run: {error}"
    words = done.stdout.split()
    if done.returncode != 0 or len(words) < 3 or words[2] not in allowed:
        return f"version: rc={done.returncode} {done.stdout.strip()} {done.stderr.strip()}"
    missing = [name for name in files if not (root / name).exists()]
    return f"resolves into an incomplete tree {root}: {missing[:3]}" if missing else ""


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    home, stop, passes = Path(spec["home"]), Path(spec["stop"]), Path(spec["passes"])
    failures: list[str] = []
    count = 0
    while not stop.exists():
        for link, allowed in spec["links"].items():
            problem = check(home, link, allowed, link in spec["required"], spec["files"])
            if problem:
                failures.append(problem)
        count += 1
        temporary = passes.with_name(passes.name + ".tmp")
        temporary.write_text(str(count))
        temporary.replace(passes)
    print(json.dumps({"passes": count, "failures": failures[:50], "failed": len(failures)}))


if __name__ == "__main__":
    main()
