"""``gorig dockerfile [DIR]``: a multi-platform Dockerfile that cross-compiles, and its command."""

from __future__ import annotations

import sys
from pathlib import Path

from gorig.cli.args import add_json
from gorig.cli.output import print_json, warn
from gorig.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from argparse import Namespace

    from gorig.cli.args import Parser


def configure(parser: Parser, command: str) -> None:
    from gorig.configure.dockerfile import DEFAULT_PLATFORMS

    parser.description = _(
        "A multi-stage Dockerfile that cross-compiles on the build platform.\n\n"
        "Print (or --write) the Dockerfile, then the docker buildx command that builds it."
    )
    parser.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR",
                        help=_("The Go module (default: here)."))  # fmt: skip
    parser.add_argument("--go", metavar="VERSION", help=_("Go version (default: go.mod's)."))
    parser.add_argument(
        "--base",
        default="distroless",
        metavar="BASE",
        help=_("distroless, scratch or alpine (default: %(default)s)."),
    )
    parser.add_argument("--platforms", default=",".join(DEFAULT_PLATFORMS), metavar="LIST",
                        help=_("Comma-separated, e.g. linux/amd64,linux/arm/v7 "
                        "(default: %(default)s)."))  # fmt: skip
    parser.add_argument(
        "--cgo", action="store_true", help=_("Cross-compile with cgo (tonistiigi/xx).")
    )
    parser.add_argument("--main", dest="main_package", metavar="PACKAGE",
                        help=_("The main package (default: found)."))  # fmt: skip
    parser.add_argument("--registry", metavar="MIRROR",
                        help=_("A Docker Hub mirror for the base images."))  # fmt: skip
    parser.add_argument("--write", action="store_true",
                        help=_("Write Dockerfile and .dockerignore into DIR."))  # fmt: skip
    parser.add_argument(
        "--force",
        action="store_true",
        help=_("With --write, replace a Dockerfile gorig did not write."),
    )
    add_json(parser, N_("Print everything as JSON."))
    parser.set_defaults(run=_dockerfile)


def _dockerfile(args: Namespace) -> None:
    from gorig.configure import dockerfile
    from gorig.host.goenv import read_layers

    directory = args.directory
    project = dockerfile.read_project(directory, go=args.go, main=args.main_package)
    registry = dockerfile.check_registry(args.registry) if args.registry is not None else None
    ctx = args.context
    build_args = dockerfile.go_build_args(read_layers(ctx.facts.os, ctx.environ, None))
    plan = dockerfile.DockerPlan(project, dockerfile.check_base(args.base), args.cgo,
                                 dockerfile.check_platforms(args.platforms), build_args,
                                 registry)  # fmt: skip
    notes = dockerfile.registry_notes(plan)
    for note in [] if args.json else notes:
        warn(note)
    text = dockerfile.render(plan)
    command = dockerfile.buildx_command(plan)
    if args.write:
        dockerfile.write(directory, text, force=args.force)
    if args.json:
        print_json(
            {
                "dockerfile": text,
                "dockerignore": dockerfile.dockerignore_body(),
                "command": command,
                "main": project.main,
                "go": plan.go_tag,
                "platforms": list(plan.platforms),
                "build_args": dict(plan.build_args),
                "notes": list(notes),
                "written": args.write,
            }
        )
    elif args.write:
        wrote = _("wrote {dockerfile} and .dockerignore").format(
            dockerfile=directory / "Dockerfile"
        )
        sys.stdout.write(f"{wrote}\n{command}\n")
    else:
        sys.stdout.write(text)
        sys.stderr.write("# " + _("build it with: {command}").format(command=command) + "\n")
