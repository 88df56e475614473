"""The wheel: what a user installs carries the templates and samples and runs without the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import require

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        import hatchling  # noqa: F401 - the build backend, needed without build isolation
    except ImportError:
        require(False, "hatchling is not installed")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("rpa-*.whl")
    return built


def test_wheel_carries_the_packages_templates_and_samples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"rpa/cli.py", "extractors/mime.py", "drafting/templates.py"} <= names
    assert "rpa/_data/templates/catalog.toml" in names
    assert any(name.startswith("rpa/_data/templates/fr/") for name in names)
    assert any(name.startswith("rpa/_data/templates/en/") for name in names)
    assert any(name.startswith("rpa/_data/samples/") and name.endswith(".eml") for name in names)
    assert not any(name.startswith(("tests/", ".venv/")) for name in names)


def test_installed_wheel_processes_a_bundled_sample_away_from_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import rpa.resources as r, sys;"
        "sample = r.bundled_path('samples') / 'fr_claim_new_bris_glace_iphone.eml';"
        "assert str(sample).startswith(sys.argv[1]), sample;"
        "from rpa.cli import app;"
        "app(['process', '--json', str(sample)])"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "RPA_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-c", script, str(site)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert '"intent": "claim_new"' in result.stdout
    assert '"draft": {' in result.stdout
