"""A PostgreSQL primary and its streaming replica, started for a test in clusters of their
own (initdb, pg_basebackup -R), on free ports, as the `postgres` user when run as root."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.live import free_port

BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    return (BIN / "initdb").exists() and (os.geteuid() != 0 or shutil.which("runuser")
                                          is not None)


def _run(*args: str) -> None:
    command = [str(BIN / args[0]), *args[1:]]
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@dataclass(frozen=True)
class Pair:
    primary: str  # SQLAlchemy URLs of the database "wom" on each
    replica: str


@contextmanager
def primary_and_replica() -> Iterator[Pair]:
    folder = Path(tempfile.mkdtemp(prefix="wom-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    ports = free_port(), free_port()
    started: list[Path] = []
    try:
        _run("initdb", "-D", str(folder / "primary"), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8")
        for name, port in zip(("primary", "replica"), ports, strict=True):
            if name == "replica":
                _run("pg_basebackup", "-h", "127.0.0.1", "-p", str(ports[0]), "-U",
                     "postgres", "-D", str(folder / "replica"), "-R", "-X", "stream",
                     "--checkpoint=fast")
            _run("pg_ctl", "-D", str(folder / name), "-l", str(folder / f"{name}.log"), "-w",
                 "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start")
            started.append(folder / name)
            if name == "primary":
                subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                "-c", "CREATE DATABASE wom"], check=True, capture_output=True)
        yield Pair(*(f"postgresql+psycopg://postgres@127.0.0.1:{p}/wom" for p in ports))
    finally:
        for data in reversed(started):
            _run("pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
