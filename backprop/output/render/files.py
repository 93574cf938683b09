"""Writing results safely: temporary name first, moved into place only when complete."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile


class OutputError(Exception):
    """An output problem the user can fix (unwritable folder, full disk): one line, exit 2."""


def safe_name(name: str) -> str:
    """A network or scene name as a file name: no path separators, no leading dots, never empty.

    Where cleaning changed the name, a short hash of the original follows, so that distinct names
    ("..", "...", "a b", "a-b") never share a file and overwrite each other's videos (a name that
    already ends like such a suffix gets one too).
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    if cleaned and cleaned == name and len(name) <= 80 and not re.search(r"-[0-9a-f]{8}$", name):  # never a suffixed one
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned[:71] or 'network'}-{digest}"


def is_plain_name(name: str) -> bool:
    """A file name this program writes: one path component, not hidden, no control characters."""
    return (isinstance(name, str) and 0 < len(name) <= 255 and name[0] != "." and "/" not in name and "\\" not in name
            and not any(ord(c) < 32 or ord(c) == 127 for c in name))


LOCK = ".backprop-lock"


@contextlib.contextmanager
def folder_lock(folder: str, field: str = "output-dir"):
    """Hold `folder`'s lock file for a build: a second build into it refuses with one line (two builds
    writing one site would leave one's manifest over the other's files). The kernel releases the lock
    however the process ends; the file holds the owner's PID and is removed when the build ends (a
    lock taken on a file just removed is taken again on the new one)."""
    path = os.path.join(folder, LOCK)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as e:
            raise OutputError(f"{field}: cannot lock '{folder}' ({LOCK}): {explain(e)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            owner = os.pread(fd, 20, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise OutputError(f"{field}: another build is writing '{folder}'"
                              + (f" (process {owner})" if owner.isdigit() else "")
                              + "; wait for it to finish, or choose another --output-dir") from None
        try:
            if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                break
        except OSError:
            pass
        os.close(fd)  # the file was removed by the build that held it: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        _discard(path)  # while still holding it
        os.close(fd)


# Temporary files and folders carry the owner's PID and host, so a later run can tell leftovers of
# a killed process (SIGKILL, power loss) from a render still running, and remove only the former.
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
_TEMP = re.compile(r"\.(render|partial)-(\d+)-([0-9a-f]{8})-")


def temp_prefix(kind: str) -> str:
    """`.render-<pid>-<host>-` or `.partial-<pid>-<host>-`: the prefix of our temporary names."""
    return f".{kind}-{os.getpid()}-{_HOST}-"


def remove_stale(folder: str) -> None:
    """Remove temporary files and folders in `folder` left by processes of this host that are gone."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = _TEMP.match(name)
        if not m or m[3] != _HOST or _alive(int(m[2])):
            continue
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            _discard(path)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a process id we wrote: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def check_target(path: str) -> None:
    """Refuse, before any work, a target that os.replace would fail on or should not replace."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # absent (or a dangling link, which is replaced): fine
    if stat.S_ISDIR(mode):
        raise OutputError(f"output: '{path}' is a folder; move it away or choose another --output-dir")
    if not stat.S_ISREG(mode):
        raise OutputError(f"output: '{path}' is not a regular file; move it away or choose another --output-dir")


def write_output(path: str, data: bytes) -> None:
    """Write `data` to `path`: atomically for a regular file (or a new one); straight into anything
    else (/dev/null, a FIFO, a terminal), which must be written, never replaced by a plain file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is None or stat.S_ISREG(mode):
        write_atomic(path, data)
        return
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        raise OutputError(f"output: cannot write '{path}': {explain(e)}") from None


@contextlib.contextmanager
def private_folder(folder: str, kind: str, field: str = "output"):
    """A fresh folder inside `folder` (the same file system: what is finished there moves into place
    with os.replace), removed afterwards whatever happens; an OSError is one line naming `field`."""
    try:
        os.makedirs(folder, exist_ok=True)
        remove_stale(folder)
        work = tempfile.mkdtemp(prefix=temp_prefix(kind), dir=folder)
    except OSError as e:
        raise OutputError(f"{field}: cannot write in '{folder}': {explain(e)}") from None
    try:
        yield work
    except OSError as e:
        raise OutputError(f"{field}: cannot write in '{folder}': {explain(e)}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_atomic(path: str, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of one."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        remove_stale(folder)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix("partial"), dir=folder)
    except OSError as e:
        raise OutputError(f"output: cannot write in '{folder}': {explain(e)}") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; an output gets the usual mode
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        _discard(tmp)
        raise OutputError(f"output: cannot write '{path}': {explain(e)}") from None
    except BaseException:
        _discard(tmp)
        raise


def move_all_into_place(moves: list[tuple[str, str]]) -> None:
    """Move finished files (temporary, final) into place: all of them, or none.

    If a later move fails or is interrupted, the earlier targets get their old files back (kept as
    hard links until then; on a file system without hard links, a new file that cannot be put back is
    removed rather than left beside an old partner).
    """
    done = []  # (final path, its old file's backup or None)
    target = None
    try:
        for tmp, target in moves:
            backup = None
            if os.path.isfile(target):
                try:
                    backup = tmp + ".old"
                    os.link(target, backup)
                except OSError:
                    backup = None
            os.replace(tmp, target)
            done.append((target, backup))
    except BaseException as e:
        for path, backup in reversed(done):
            try:
                os.replace(backup, path) if backup else os.unlink(path)
            except OSError:
                pass
        for tmp, _ in moves:
            _discard(tmp)
        if isinstance(e, OSError):
            raise OutputError(f"output: cannot write '{target}': {explain(e)}") from None
        raise


def sha256_of(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def explain(e: OSError) -> str:
    return "the disk is full" if e.errno == errno.ENOSPC else (e.strerror or str(e))


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
