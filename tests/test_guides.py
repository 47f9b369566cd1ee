"""Issue 8, point 2: every command shown in the guides (docs/guide-*.md) is run, in order.

A guide shows commands in ``console`` blocks: a line ``$ command`` (with
``# exits with N`` when it does not exit with 0), and under it lines of what
it prints (each must appear in the real output, spacing aside).  A fenced
block right after ``<!-- file: PATH -->`` is a file the reader writes: the
test writes it too.  The commands run with bash in a copy of ``samples/``,
as the guides say, with this environment's ``tcstandards`` on the PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FILE_MARK = re.compile(r"<!-- file: (\S+) -->")
EXITS = re.compile(r"#\s*exits with (\d+)\s*$")


@dataclass
class Step:
    command: str | None = None  # a shell command, or None for a file to write
    path: str | None = None
    content: str = ""
    exit: int = 0
    shows: list[str] = field(default_factory=list)
    line: int = 0


def parse(text: str) -> list[Step]:
    steps: list[Step] = []
    lines = text.split("\n")
    pending_file: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        mark = FILE_MARK.fullmatch(line.strip())
        if mark:
            pending_file = mark[1]
        elif line.startswith("```"):
            kind, start = line[3:].strip(), i
            i += 1
            body = []
            while not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            if pending_file is not None:
                steps.append(Step(path=pending_file, content="\n".join(body) + "\n", line=start + 1))
                pending_file = None
            elif kind == "console":
                for number, row in enumerate(body, start=start + 2):
                    if row.startswith("$ "):
                        exits = EXITS.search(row)
                        command = EXITS.sub("", row[2:]).strip()
                        steps.append(Step(command=command, exit=int(exits[1]) if exits else 0, line=number))
                    elif row.strip() and steps and row.strip() != "...":
                        steps[-1].shows.append(row)
        i += 1
    return steps


def squeeze(text: str) -> str:
    return " ".join(text.split())


def run_guide(name: str, sandbox: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(
        GIT_AUTHOR_NAME="Data officer",
        GIT_AUTHOR_EMAIL="data@example.org",
        GIT_COMMITTER_NAME="Data officer",
        GIT_COMMITTER_EMAIL="data@example.org",
        COLUMNS="200",
    )
    env.pop("TCSTANDARDS_STORE", None)  # the guides use the default store, ./tcstandards.sqlite
    steps = parse((DOCS / name).read_text(encoding="utf-8"))
    assert [s for s in steps if s.command], f"{name} shows no command"
    for step in steps:
        where = f"{name}, line {step.line}"
        if step.command is None:
            assert step.path is not None
            target = sandbox / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.content, encoding="utf-8")
            continue
        done = subprocess.run(
            ["bash", "-c", step.command],
            cwd=sandbox,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        output = squeeze(done.stdout + "\n" + done.stderr)
        assert done.returncode == step.exit, f"{where}: `{step.command}` exited {done.returncode}\n{output}"
        assert "Traceback" not in output, where
        for shown in step.shows:
            assert squeeze(shown) in output, (
                f"{where}: `{step.command}` did not print:\n{shown}\n---\n{output}"
            )


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    folder = tmp_path / "samples"
    shutil.copytree(ROOT / "samples", folder, ignore=shutil.ignore_patterns("historical", "__pycache__"))
    return folder


GUIDES = sorted(p.name for p in DOCS.glob("guide-*.md"))


def test_the_guides_exist() -> None:
    assert GUIDES == ["guide-hq.md", "guide-office.md", "guide-repository.md"]


@pytest.mark.parametrize(
    "name",
    [pytest.param(g, marks=pytest.mark.slow) if g == "guide-repository.md" else g for g in GUIDES],
)
def test_every_command_of_the_guide_runs(name: str, sandbox: Path) -> None:
    run_guide(name, sandbox)


def test_the_parser_reads_commands_exit_codes_outputs_and_files() -> None:
    text = "\n".join(
        [
            "<!-- file: a.toml -->",
            "```toml",
            'lang = "fr"',
            "```",
            "```console",
            "$ tcstandards validate x.xlsx   # exits with 1",
            "x.xlsx  (office DAKAR)",
            "...",
            "$ ls",
            "```",
            "```sh",
            "$ not run: only console blocks are commands",
            "```",
        ]
    )
    steps = parse(text)
    assert [(s.command, s.path, s.exit, s.shows) for s in steps] == [
        (None, "a.toml", 0, []),
        ("tcstandards validate x.xlsx", None, 1, ["x.xlsx  (office DAKAR)"]),
        ("ls", None, 0, []),
    ]
    assert steps[0].content == 'lang = "fr"\n'
