"""``gorig dockerfile [DIR]``: a multi-platform Dockerfile that cross-compiles, and its command."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from gorig.cli.output import new_app, print_json, run_app

if TYPE_CHECKING:
    import typer


def _app() -> "typer.Typer":
    import typer

    from gorig.configure import dockerfile

    app = new_app("A multi-stage Dockerfile that cross-compiles on the build platform.")

    @app.command()
    def main(
        directory: Annotated[Path, typer.Argument(help="The Go module (default: here).")] = Path(),
        go: Annotated[str | None, typer.Option(help="Go version (default: go.mod's).")] = None,
        base: Annotated[str, typer.Option(help="distroless, scratch or alpine.")] = "distroless",
        platforms: Annotated[
            str, typer.Option(help="Comma-separated, e.g. linux/amd64,linux/arm/v7.")
        ] = ",".join(dockerfile.DEFAULT_PLATFORMS),
        cgo: Annotated[bool, typer.Option(help="Cross-compile with cgo (tonistiigi/xx).")] = False,
        main_package: Annotated[
            str | None, typer.Option("--main", help="The main package (default: found).")
        ] = None,
        write: Annotated[
            bool, typer.Option(help="Write Dockerfile and .dockerignore into DIR.")
        ] = False,
        force: Annotated[
            bool, typer.Option(help="With --write, replace a Dockerfile gorig did not write.")
        ] = False,
        json: Annotated[bool, typer.Option("--json", help="Print everything as JSON.")] = False,
    ) -> None:
        """Print (or --write) the Dockerfile, then the docker buildx command that builds it."""
        project = dockerfile.read_project(directory, go=go, main=main_package)
        plan = dockerfile.DockerPlan(
            project, dockerfile.check_base(base), cgo, dockerfile.check_platforms(platforms)
        )
        text = dockerfile.render(plan)
        command = dockerfile.buildx_command(plan)
        if write:
            dockerfile.write(directory, text, force=force)
        if json:
            print_json(
                {
                    "dockerfile": text,
                    "dockerignore": dockerfile.dockerignore_body(),
                    "command": command,
                    "main": project.main,
                    "go": plan.go_tag,
                    "platforms": list(plan.platforms),
                    "written": write,
                }
            )
        elif write:
            sys.stdout.write(f"wrote {directory / 'Dockerfile'} and .dockerignore\n{command}\n")
        else:
            sys.stdout.write(text)
            sys.stderr.write(f"# build it with: {command}\n")

    return app


def run(argv: list[str]) -> int:
    return run_app(_app(), argv[1:], prog="gorig dockerfile")
