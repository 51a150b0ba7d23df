"""Building and running workloads through run plans, and what happens when a run goes wrong.

The "wrong" cases use real processes: qemu behind a shell pipeline that corrupts the answer,
a program that fails, a program that prints something else.
"""

import os
import shutil

import pytest

from gorig.bench import Measurement, Plans, run_bench
from gorig.bench.emulation import RunPlan
from gorig.bench.suite import parse_result, run_once
from gorig.errors import GorigError
from support import gobin

NATIVE = RunPlan("amd64", (), "native")


@pytest.fixture(scope="module")
def qemu():
    found = shutil.which("qemu-aarch64")
    if found is None:
        pytest.fail("qemu-aarch64 is missing: scripts/test installs qemu-user")
    return found


@pytest.mark.toolchain
@pytest.mark.qemu
def test_an_emulator_that_miscomputes_is_caught(qemu):
    corrupt = '"$@" | sed "s/\\"answer\\":\\"/&bad-/"'
    lying = RunPlan("arm64", ("sh", "-c", corrupt, "sh", qemu), "lying qemu")
    settings = Measurement(("gc",), "arm64", runs=1, scale=1)
    steps: list[str] = []
    go = gobin.go_binary(gobin.GO_1_27)
    report = run_bench(go, Plans("linux", NATIVE, lying), settings, steps.append, os.environ)
    (result,) = report.results
    assert not result.answers_match
    assert result.emulated_answer == "bad-" + result.native_answer
    assert len(steps) == settings.steps
    assert steps[0] == "build gc for linux/amd64"
    assert steps[-1] == "gc arm64 (lying qemu) run 1/1"


def test_a_failing_run_names_the_workload_and_its_last_error_line(tmp_path):
    script = tmp_path / "fails"
    script.write_text("echo starting >&2\necho 'fatal error: out of memory' >&2\nexit 2\n")
    plan = RunPlan("arm64", ("sh",), "qemu-aarch64")
    with pytest.raises(GorigError) as caught:
        run_once(plan, script, "gc", 1)
    assert str(caught.value) == "gc (arm64, qemu-aarch64) failed: fatal error: out of memory"


@pytest.mark.parametrize(
    "stdout",
    [
        "",
        "hello\n",
        '{"workload": "json", "ns": 5, "answer": "x"}\n',
        '{"workload": "gc", "ns": "5", "answer": "x"}\n',
        '{"workload": "gc", "ns": 5}\n',
    ],
)
def test_output_that_is_not_a_result_line_is_refused(stdout):
    with pytest.raises(GorigError, match="gc printed no result line"):
        parse_result(stdout, "gc")


def test_the_result_line_is_the_last_line():
    assert parse_result('warming\n{"workload": "gc", "ns": 7, "answer": "42"}\n', "gc") == (
        7,
        "42",
    )
