"""Output folders that never mix runs.

A command's ``--out DIR`` writes every file of its run to a hidden staging folder inside
``DIR`` first. Only when all of them are written does it remove the previous run's files (named
in the folder's manifest, ``.fmsim-run.json``), move the new files in (each an atomic rename on
the same file system) and write the new manifest. So:

* a run that fails or is killed while it computes or writes leaves the previous run's files as
  they were, complete, and at most a staging folder (``.fmsim-staging-*``, removed by the next
  run into the folder);
* a run never leaves files that look valid but belong to different runs: the previous run's
  files are gone before the first new file arrives;
* files in ``DIR`` that no FMSim run wrote are left alone, and one that has the name of a file
  the run writes stops the run before anything is removed (it is never replaced).

A command's single ``--out FILE`` (a fit, a diary, an export) is written under a hidden partial
name beside it and renamed when complete (:class:`OutputFile`): whole or not at all. It replaces
only a file that an FMSim run wrote there and that has not changed since (the folder's list of
such files, ``.fmsim-files.json``, holds each one's size and time of change): a file of the
user's own of that name, a diary kept by hand above all, is never replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from ..errors import FMSimError

__all__ = ["FILES", "MANIFEST", "OutputFile", "OutputFolder", "check_file", "check_room"]

MANIFEST = ".fmsim-run.json"
"""The file that lists a run's files (relative to the folder) and the command that wrote
them."""

FILES = ".fmsim-files.json"
"""The file that lists, in a folder, the single files FMSim runs wrote there (:class:`OutputFile`),
each with its size and time of change when written."""

_STAGING = ".fmsim-staging-"


class OutputFolder:
    """A context manager for one run's files in ``path``: :meth:`file` gives where to write
    each (a staging path); leaving the block without an error moves them all into place.
    ``files``, when given, are all the names the run may write (the ones the command line
    checks with :func:`check_room` before the run computes).

    Raises
    ------
    FMSimError
        When ``path`` exists and is not a folder, or cannot be created or written.
    """

    def __init__(self, path: str | Path, command: str, files: Sequence[str] = ()) -> None:
        self.path = Path(path)
        self.command = command
        self.files = tuple(files)  # the names the run may write (all, when empty)
        self.names: list[str] = []
        self.staging: Path | None = None

    def __enter__(self) -> OutputFolder:
        if self.path.exists() and not self.path.is_dir():
            raise FMSimError(f"--out {str(self.path)!r} is a file, not a folder")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            for stale in self.path.glob(f"{_STAGING}*"):
                shutil.rmtree(stale, ignore_errors=True)
            self.staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=self.path))
        except OSError as exc:
            raise FMSimError(f"cannot write to --out {str(self.path)!r}: "
                             f"{exc.strerror or exc}") from None
        return self

    def file(self, name: str) -> Path:
        """Where to write the run's file ``name`` (a path relative to the folder, e.g.
        ``figures/trial.png``)."""
        if self.staging is None:
            raise RuntimeError("OutputFolder.file() outside its with-block")
        if self.files and name not in self.files:  # the command line checks these beforehand
            raise RuntimeError(f"{name!r} is not among the files of {self.command}: "
                               f"{self.files}")
        if name not in self.names:
            self.names.append(name)
        staged = self.staging / name
        staged.parent.mkdir(parents=True, exist_ok=True)
        return staged

    def ensure_space(self, nbytes: int) -> None:
        """Refuse to write ``nbytes`` more where the disk has not that much room (with a
        tenth and 10 MB to spare): a full disk in the middle of a write has crashed the
        NetCDF library."""
        free = shutil.disk_usage(self.staging).free
        if free < 1.1 * nbytes + 10 * 2**20:
            raise FMSimError(f"not enough room on the disk of --out {str(self.path)!r}: "
                             f"{nbytes / 2**20:.0f} MB to write, {free / 2**20:.0f} MB free")

    def final(self, name: str) -> Path:
        """Where ``name`` will be once the run is complete."""
        return self.path / name

    def _write_manifest(self, files: list[str]) -> None:
        manifest = self.staging / MANIFEST
        manifest.write_text(json.dumps({"command": self.command, "files": files}, indent=1),
                            encoding="utf-8")
        os.replace(manifest, self.path / MANIFEST)

    def _commit(self) -> None:
        check_room(self.path, self.names)
        previous = [*_earlier(self.path), *self.names]
        # named before anything moves, so that a run killed here leaves no file of a run
        # that the manifest does not name (the next run would take it for the user's own)
        self._write_manifest(list(dict.fromkeys(previous)))
        root = os.path.normpath(self.path.absolute())
        for name in previous:  # the entry itself: a link is removed, never what it points to
            old = Path(os.path.normpath(self.path.absolute() / name))
            if old.is_relative_to(root) and (old.is_symlink() or old.is_file()):
                old.unlink()
        for name in self.names:
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / name, target)
        self._write_manifest(self.names)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if kind is None:
                try:
                    self._commit()
                except OSError as exc:
                    raise FMSimError(f"cannot write to --out {str(self.path)!r}: "
                                     f"{exc.strerror or exc}") from None
        finally:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)


def _earlier(path: Path) -> list[str]:
    """The files the manifest of folder ``path`` says an earlier run wrote."""
    try:
        files = json.loads((path / MANIFEST).read_text("utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        files = []
    return [f for f in files if isinstance(f, str)]


def check_room(path: str | Path, names: Sequence[str]) -> None:
    """Refuse a run whose files ``names`` cannot all be moved into folder ``path``: a folder
    (or anything but a file) where a file goes, a file where a folder goes, or a file of the
    same name that no FMSim run wrote there (the user's own: never replaced). Called when a
    run's files are moved in, before anything is removed, and by the command line before a
    long run computes, so that a clash does not cost the run.

    Raises
    ------
    FMSimError
        Naming each file in the way and what to do.
    """
    path = Path(path)
    if not path.is_dir():
        return
    root = path.resolve()
    earlier = set(_earlier(path))
    foreign = [n for n in names if (root / n).is_file() and n not in earlier]
    if foreign and (path / MANIFEST).exists() and not earlier:
        raise FMSimError(f"cannot write into {str(path)!r}: its list of an earlier run's "
                         f"files ({MANIFEST}) cannot be read, so files there may be yours; move "
                         "them or choose another --out")
    if foreign:
        raise FMSimError(f"cannot write {', '.join(repr(str(path / n)) for n in foreign)}: a "
                         "file of that name is there and no FMSim run into the folder wrote "
                         "it; move it or choose another --out")
    for name in names:
        target = root / name
        if target.exists() and not target.is_file():
            raise FMSimError(f"cannot write {str(path / name)!r}: something that is not a "
                             "file is in the way; move it or choose another --out")
        for parent in target.relative_to(root).parents:
            if (root / parent).exists() and not (root / parent).is_dir():
                raise FMSimError(f"cannot write {str(path / name)!r}: "
                                 f"{str(path / parent)!r} is a file, not a folder")


class OutputFile:
    """A context manager for one file ``path`` that a run writes (``option`` names it in
    errors): the block writes the hidden partial file it gives (beside ``path``, with its
    suffix); leaving the block without an error renames it to ``path`` at once, otherwise it is
    removed. So a run that fails or is killed leaves an earlier file as it was.

    Raises
    ------
    FMSimError
        When ``path`` is a folder or a file of the user's own (:func:`check_file`), or its
        folder cannot be made or written.
    """

    def __init__(self, path: str | Path, option: str = "--out") -> None:
        self.path = Path(path)
        self.option = option
        self.partial = self.path.with_name(f".{self.path.stem}.partial{self.path.suffix}")

    def _refuse(self, exc: OSError) -> FMSimError:
        return FMSimError(f"cannot write {self.option} {str(self.path)!r}: "
                          f"{exc.strerror or exc}")

    def __enter__(self) -> Path:
        try:
            check_file(self.path, self.option)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.partial.touch()
        except OSError as exc:
            raise self._refuse(exc) from None
        return self.partial

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if kind is None:
                os.replace(self.partial, self.path)
                _record(self.path)
        except OSError as exc:
            raise self._refuse(exc) from None
        finally:
            self.partial.unlink(missing_ok=True)


def _written(folder: Path) -> dict[str, list[int]]:
    """The single files that FMSim runs wrote in ``folder`` (:data:`FILES`): name -> [size,
    time of change in nanoseconds]; empty if the list is missing or cannot be read."""
    try:
        files = json.loads((folder / FILES).read_text("utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def _stamp(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def _record(path: Path) -> None:
    """Add ``path``, just written, to its folder's :data:`FILES` (written whole: a list that
    cannot be written only means the file will be taken for the user's own)."""
    files = _written(path.parent) | {path.name: _stamp(path)}
    staged = path.with_name(f"{FILES}.partial")
    try:
        staged.write_text(json.dumps({"files": files}, indent=1), encoding="utf-8")
        os.replace(staged, path.parent / FILES)
    except OSError:
        staged.unlink(missing_ok=True)


def check_file(path: str | Path, option: str = "--out") -> None:
    """Refuse to write the single file ``path`` where a folder is, or where a file is that no
    FMSim run wrote (or that has changed since one did): the user's own, never replaced.

    Raises
    ------
    FMSimError
        Naming the file and what to do.
    """
    path = Path(path)
    if path.is_dir():
        raise FMSimError(f"{option} {str(path)!r} is a folder; give a file name")
    if path.exists() and _written(path.parent).get(path.name) != _stamp(path):
        raise FMSimError(f"{option} {str(path)!r} is a file that no FMSim run wrote (or it "
                         "changed since one did), so it is not replaced; move it or choose "
                         "another name")
