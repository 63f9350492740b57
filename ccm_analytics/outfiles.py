"""Where the command line writes its files (``--out``), and the one way it writes them (DOMAIN.md §9).

- :func:`output_file` and :func:`output_folder` check an ``--out`` before any work: the name's
  suffix; not a folder where a file is needed (nor a file where a folder is); not a symbolic link,
  dangling or not (refused always: write to the real path instead, so a link planted in a shared
  folder never redirects a write); a parent that is a folder, or can be made one, that this user
  may write in. A missing parent folder is created when the file is written.
- :func:`write_file` writes every file: to a temporary file in the same folder, flushed to disk,
  then renamed over the target (``os.replace``), so a reader never sees half a file and a failure
  leaves the old file as it was. ``os.replace`` replaces a link itself, never what it points to.

Every refusal is a :class:`~ccm_analytics.errors.UsageError` naming the path (exit status 2).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UsageError
from .i18n import _


def _refuse_link_or_special(path: Path, text: str) -> None:
    if path.is_symlink():
        target = os.readlink(path)
        if not path.exists():
            raise UsageError(_("{path} is a symbolic link to {target}, which does not exist; --out must name a file "
                               "or folder, not a link. Choose another --out.").format(path=text, target=target))
        raise UsageError(_("{path} is a symbolic link (to {target}); --out must not be a link, so that a write never "
                           "lands elsewhere. Give the real path instead.").format(path=text, target=target))


def _check_parent(path: Path, text: str) -> None:
    """The nearest existing ancestor must be a folder this user may write in (missing ones are made later)."""
    folder = path.parent
    while not folder.exists() and not folder.is_symlink() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(_("Cannot write {path}: {folder} is a file, not a folder. Choose another --out.").format(
            path=text, folder=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(_("Cannot write {path}: you may not write in the folder {folder}. Choose another --out.")
                         .format(path=text, folder=folder))


def output_file(text: str, suffix: str) -> Path:
    """The path of an output file (``suffix`` such as ``.pptx``), checked before any work.

    Raises:
        UsageError: Another suffix, a folder, a symbolic link, something that is not a regular file,
            or a place this user may not write in.
    """
    path = Path(text)
    if path.suffix.casefold() != suffix:
        raise UsageError(_("The output file must end in {suffix}: {path}").format(suffix=suffix, path=text))
    _refuse_link_or_special(path, text)
    if path.is_dir():
        raise UsageError(_("{path} is a folder; --out needs a file name, e.g. {example}.").format(
            path=text, example=os.path.join(text, "out" + suffix)))
    if path.exists() and not path.is_file():
        raise UsageError(_("{path} is not a regular file; choose another --out.").format(path=text))
    _check_parent(path, text)
    return path


def output_folder(text: str) -> Path:
    """The path of an output folder (made when the first file is written), checked before any work.

    Raises:
        UsageError: A file, a symbolic link, or a place this user may not write in.
    """
    path = Path(text)
    _refuse_link_or_special(path, text)
    if path.exists() and not path.is_dir():
        raise UsageError(_("{path} is a file; --out needs a folder.").format(path=text))
    if path.is_dir():
        if not os.access(path, os.W_OK | os.X_OK):
            raise UsageError(_("Cannot write in {folder}: you may not write there. Choose another --out.").format(
                folder=text))
    else:
        _check_parent(path / "x", text)
    return path


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file in the same folder, then
    ``os.replace``. Missing parent folders are made.

    Raises:
        UsageError: The system refused (no permission, a read-only or full disk, a folder in the way).
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(path))  # mkstemp makes 0600: give the file the mode a plain write would
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise UsageError(_("Cannot write {path}: {reason}. Nothing was written; choose another --out.").format(
            path=path, reason=e.strerror or type(e).__name__)) from e
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _mode(path: Path) -> int:
    """The mode of the file being replaced, else 0666 less the umask (as ``open(path, "w")`` makes)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
