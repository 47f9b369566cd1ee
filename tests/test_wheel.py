"""The wheel carries the standard: built from the checkout, used from outside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("tcstandards-*.whl")
    return path


@pytest.mark.slow
def test_wheel_contains_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p.relative_to(ROOT / "schemas").as_posix() for p in (ROOT / "schemas").rglob("*.json")}
    assert expected and {f"tcstandards/schemas/{n}" for n in expected} <= names
    assert "tcstandards/locale/ui.json" in names


@pytest.mark.slow
def test_wheel_validates_samples_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    returns = tmp_path / "returns"
    shutil.copytree(ROOT / "samples" / "returns" / "1997-Q3", returns)
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    where = subprocess.run(
        [sys.executable, "-c", "import tcstandards; print(tcstandards.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "tcstandards", "validate", str(returns), "--lang", "en"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "6 returns, 14 files: 16 errors, 2 warnings" in result.stdout
