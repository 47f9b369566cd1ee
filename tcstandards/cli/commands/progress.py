"""A progress bar on the terminal (standard error), and nothing at all in a pipe or a file."""

from __future__ import annotations

import shutil
from typing import Any, TextIO


class ProgressBar:
    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.active = err.isatty()
        self.drawn = False

    def __call__(self, number: int, total: int, source: Any) -> None:
        if not self.active or total < 2:
            return
        width = max(shutil.get_terminal_size((80, 20)).columns - 1, 20)
        bar_width = 24
        done = int(bar_width * (number - 1) / total)
        label = str(getattr(source, "display", source))
        head = f"[{'#' * done}{'.' * (bar_width - done)}] {number}/{total} "
        room = max(width - len(head), 0)
        if len(label) > room:
            label = "…" + label[-(room - 1) :] if room > 1 else ""
        self.err.write("\r\033[K" + head + label)
        self.err.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.err.write("\r\033[K")
            self.err.flush()
            self.drawn = False
