"""What one command runs with, resolved once at the CLI edge and handed down.

The environment, the working directory, the host facts, the store, the configuration file
and the HTTP settings: :func:`from_process` is the only place gorig reads ``os.environ``,
the working directory, probes the host or loads the configuration (a test walks the source
and holds every other module to it). Library functions take what they need as arguments.

Each part is worked out the first time it is asked for and then kept, so a command pays
only for what it uses (``gorig which`` never loads the config) and never twice (``gorig
build`` probes the host once, ``gorig install`` parses the config file once).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs start-up time; the imports below are for mypy only
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from gorig.config import Config
    from gorig.host import HostFacts
    from gorig.toolchains.download import HttpSettings
    from gorig.toolchains.store import Store


class Context:
    """One command's world; parts other than ``environ`` and ``cwd`` are made on first use."""

    __slots__ = ("_config", "_facts", "_http", "_store", "cwd", "environ")

    def __init__(
        self,
        environ: Mapping[str, str],
        cwd: str,
        *,
        facts: HostFacts | None = None,
        config: Config | None = None,
    ) -> None:
        self.environ = environ
        self.cwd = cwd
        self._facts = facts
        self._config = config
        self._store: Store | None = None
        self._http: HttpSettings | None = None

    @property
    def directory(self) -> Path:
        """The working directory as a path."""
        from gorig.paths import Path

        return Path(self.cwd)

    @property
    def facts(self) -> HostFacts:
        """This machine, probed once (or the facts given, for tests and recorded hosts)."""
        if self._facts is None:
            from gorig.host import probe

            self._facts = probe()
        return self._facts

    @property
    def config(self) -> Config:
        """The configuration file, parsed and checked once."""
        if self._config is None:
            from gorig.config import load_config

            self._config = load_config(self.environ)
        return self._config

    @property
    def store(self) -> Store:
        """gorig's data directory (``GORIG_HOME``, else the platform's)."""
        if self._store is None:
            from gorig.toolchains.store import Store

            self._store = Store.open(self.environ)
        return self._store

    @property
    def http(self) -> HttpSettings:
        """Timeout, retries and trusted CAs for every fetch of this command: the environment
        (``GORIG_HTTP_*``, ``SSL_CERT_FILE``), else the config file, else the defaults."""
        if self._http is None:
            from gorig.toolchains.download import HttpSettings

            self._http = HttpSettings.configured(self.environ, self.config.install)
        return self._http


def from_process() -> Context:
    """The context of this process: its environment and working directory."""
    return Context(os.environ, os.getcwd())  # noqa: PTH109 (pathlib costs start-up time)
