"""Exports appear whole or not at all: each is written to a temporary file beside its target, then renamed."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from warledger.errors import ExportError


@contextlib.contextmanager
def replacing(target: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside `target` to write to; renamed onto `target` when the block ends without an
    error, removed otherwise, so a failed write leaves the old `target` as it was."""
    target = Path(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent or ".")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    os.close(handle)
    partial = Path(name)
    os.chmod(partial, _mode_for(target))  # mkstemp makes it private; an export gets the usual mode
    try:
        yield partial
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
