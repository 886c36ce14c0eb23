"""The reference corpus: ~330,000 Tang and Song poems to search, imitate and check drafts against.

The source is the npm package ``chinese-poetry`` (MIT): 全唐诗 and 全宋诗 in traditional
characters, 全宋词 mostly simplified. Reading its 150 MB of JSON takes seconds and converting it
to simplified characters takes longer, so ``build_index`` does that once and keeps a single
SQLite file under the cache directory. Opening the index reads three small arrays (form, flags and
length of every poem) and nothing else, so it takes milliseconds; every lookup afterwards reads a
handful of posting lists.

Two inverted indexes live in the file:

* **poem postings**, key = a character's code point, or ``cp1 << 18 | cp2`` for two adjacent
  characters of one line, value = the sorted ids of the poems holding it. ``search`` adds these up
  with numpy: a poem's score is first how many imagery *words* it contains, then how many of the
  query's *characters*, damped by the poem's length.
* **clause postings**, key = (clause length, position, character), value = the ids of corpus
  clauses (句, punctuation-free) with that character at that position. ``copied_lines`` uses the
  pigeonhole principle: a clause that differs from a draft clause in at most ``d`` positions must
  agree with it on at least one of any ``d + 1`` positions, so the union of the ``d + 1`` shortest
  posting lists holds every candidate, and the other lists count each candidate's agreements.

Posting lists are delta-encoded ``uint32`` arrays, zlib-compressed when longer than 16 ids.

Where the package lives: the ``package_root`` argument, else ``$DUETTO_POETRY_CORPUS``, else
``.duetto-data/node_modules/chinese-poetry`` under the current directory, which is where
``npm install --prefix .duetto-data chinese-poetry@2.0.1`` puts it. The index goes to
``cache_dir``, by default ``~/.cache/duetto/corpus`` (``$DUETTO_POETRY_CACHE`` overrides).
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from duetto.errors import InvalidInput, NotFound, StudioUnavailable

if TYPE_CHECKING:
    from rich.progress import Progress

PACKAGE_NAME = "chinese-poetry"
PACKAGE_SPEC = "chinese-poetry@2.0.1"
ENV_ROOT = "DUETTO_POETRY_CORPUS"
ENV_CACHE = "DUETTO_POETRY_CACHE"
DEFAULT_PREFIX = Path(".cache") / "duetto" / "npm"  # under the home directory
INDEX_NAME = "chinese-poetry.sqlite"
SCHEMA = 1  # bump when the index layout or what goes into it changes

Kind = Literal["shi", "ci"]
Dynasty = Literal["tang", "song"]
SHI_FORMS = ("五绝", "七绝", "五律", "七律")

# Other spellings an artist or another module may use for the four regulated forms.
_FORM_ALIASES = {
    "五言绝句": "五绝",
    "wujue": "五绝",
    "jueju5": "五绝",
    "七言绝句": "七绝",
    "qijue": "七绝",
    "jueju7": "七绝",
    "五言律诗": "五律",
    "wulv": "五律",
    "wulu": "五律",
    "wulü": "五律",
    "lushi5": "五律",
    "七言律诗": "七律",
    "qilv": "七律",
    "qilu": "七律",
    "qilü": "七律",
    "lushi7": "七律",
}

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_NOT_HAN = re.compile(f"[^{_HAN}]+")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;]")  # what ends a 句 for the form guess
_CLAUSE_SPLIT = re.compile(f"[^{_HAN}□○]+")  # anything else splits a clause for copy checks
_CLEAN_SHI = re.compile(f"^[{_HAN}]+，[{_HAN}]+[。！？]$")  # one couplet, nothing else
_CLEAN_CI = re.compile(f"^[{_HAN}，。！？；、：]+$")

MIN_CLAUSE = 4  # shorter clauses (三字句 of ci) are too common to call copies
MAX_CLAUSE = 15
MIN_NEAR = 5  # below this length only verbatim copies are flagged
_SEP = ord("|")
_RAW_MAX = 16  # posting lists this short are stored uncompressed
_POEM_BITS = 20  # poem ids < 2**20 (the package has ~330k)
_CLAUSE_BITS = 24  # clause ids < 2**24 (the package has ~3.5M)


# --------------------------------------------------------------------------------------------
# Public models


class Poem(BaseModel):
    """One corpus poem in simplified characters, as ``search`` and ``examples`` return it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="The package's id, or '<file stem>:<index>' where it has none (ci).")
    author: str
    title: str = Field(description="For ci the 词牌, since the package gives ci no title.")
    dynasty: Dynasty
    kind: Kind
    form: str | None = Field(
        description="五绝/七绝/五律/七律 guessed from line count and length, the 词牌 for ci, "
        "None for anything else (古体, 排律, fragments)."
    )
    lines: list[str] = Field(description="The package's paragraphs, simplified, punctuation kept.")
    famous: bool = Field(default=False, description="Also in 唐诗三百首 or 宋词三百首.")
    score: float = Field(
        default=0.0, description="search: imagery words shared, plus < 1 for loose characters."
    )
    matched: list[str] = Field(default_factory=list, description="search: imagery words it contains.")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Match(BaseModel):
    """A clause of a draft that copies, or nearly copies, a clause of the corpus."""

    model_config = ConfigDict(frozen=True)

    line_no: int = Field(description="1-based line of the draft the clause is on.")
    clause: str = Field(description="The clause as the draft has it.")
    normalized: str = Field(description="Simplified, punctuation removed: what was compared.")
    kind: Literal["verbatim", "near"]
    same: int = Field(description="Characters equal at the same positions.")
    length: int
    corpus_clause: str
    author: str
    title: str
    dynasty: Dynasty
    poem_id: str
    sources: int = Field(description="How many corpus clauses match this well; the best is shown.")
    also: list[str] = Field(default_factory=list, description="Up to 3 other sources: '作者《题目》'.")


class CorpusMissing(NotFound):
    """The chinese-poetry package or its index is not where we looked."""

    code = "corpus_missing"


# --------------------------------------------------------------------------------------------
# Locating the package and the cache


def default_package_root() -> Path:
    """``$DUETTO_POETRY_CORPUS``, else ``~/.cache/duetto/npm/node_modules/chinese-poetry``, where
    ``make`` installs it once for every clone and every working directory."""
    env = os.environ.get(ENV_ROOT)
    return Path(env) if env else Path.home() / DEFAULT_PREFIX / "node_modules" / PACKAGE_NAME


def default_cache_dir() -> Path:
    """``$DUETTO_POETRY_CACHE``, else ``~/.cache/duetto/corpus`` (shared by every studio)."""
    env = os.environ.get(ENV_CACHE)
    return Path(env) if env else Path.home() / ".cache" / "duetto" / "corpus"


def install_command(package_root: Path) -> str:
    """The npm command that puts the package at ``package_root`` (when the path allows it)."""
    root = Path(package_root)
    if root.name == PACKAGE_NAME and root.parent.name == "node_modules":
        return f"npm install --prefix {root.parent.parent} {PACKAGE_SPEC}"
    return f"npm install --prefix ~/{DEFAULT_PREFIX} {PACKAGE_SPEC}"


def package_version(package_root: Path) -> str:
    """The installed package's version; a clear error naming the npm command when it is absent."""
    root = Path(package_root)
    manifest = root / "package.json"
    hint = f"install it with `{install_command(root)}`, or set {ENV_ROOT} to the package folder"
    if not manifest.is_file() or not (root / "dist" / "quantangshi").is_dir():
        raise CorpusMissing(f"No {PACKAGE_NAME} package at {root}", hint=hint)
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusMissing(f"Unreadable {manifest}: {exc}", hint=hint) from exc
    if meta.get("name") != PACKAGE_NAME or not isinstance(meta.get("version"), str):
        raise CorpusMissing(f"{root} holds {meta.get('name')!r}, not {PACKAGE_NAME}", hint=hint)
    return str(meta["version"])


# --------------------------------------------------------------------------------------------
# Text helpers shared by the build and the lookups


class Converter(Protocol):
    """What we use of ``opencc.OpenCC``."""

    def convert(self, text: str) -> str: ...


def _t2s() -> Converter:
    import opencc  # imported late: only the build and draft checks need it

    converter: Converter = opencc.OpenCC("t2s")
    return converter


def normalize_form(form: str) -> str:
    """Canonical name for a form: 七绝 for 七言绝句/qijue; a 词牌 is returned simplified as is."""
    key = form.strip()
    return _FORM_ALIASES.get(key.lower(), _FORM_ALIASES.get(key, key))


def guess_form(lines: Iterable[str]) -> str | None:
    """五绝/七绝/五律/七律 when the poem is 4 or 8 clauses all of 5 or all of 7 characters."""
    clauses = [c for line in lines for c in _CLAUSE_END.split(line) if c.strip()]
    lengths = {len(_NOT_HAN.sub("", c)) for c in clauses}
    if (
        len(lengths) != 1
        or len(clauses) not in (4, 8)
        or any(_NOT_HAN.sub("", c) != c.strip() for c in clauses)
    ):
        return None
    size = lengths.pop()
    if size not in (5, 7):
        return None
    return ("五" if size == 5 else "七") + ("绝" if len(clauses) == 4 else "律")


def _clauses(line: str) -> list[str]:
    """Han-only clauses of a line; a clause holding a missing-character mark (□) is dropped."""
    return [c for c in _CLAUSE_SPLIT.split(line) if c and "□" not in c and "○" not in c]


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def _encode(ids: np.ndarray) -> bytes:
    deltas = np.diff(ids.astype(np.int64), prepend=0).astype("<u4").tobytes()
    return deltas if len(ids) <= _RAW_MAX else zlib.compress(deltas, 6)


def _decode(blob: bytes, n: int) -> np.ndarray:
    raw = blob if n <= _RAW_MAX else zlib.decompress(blob)
    return np.cumsum(np.frombuffer(raw, dtype="<u4"), dtype=np.int64)


def _bigram(a: int, b: int) -> int:
    return (a << 18) | b


def _clause_key(length: int, pos: int, cp: int) -> int:
    return (length << 24) | (pos << 18) | cp


def _near_threshold(length: int) -> int:
    """How many positions must agree: all below MIN_NEAR, else 5 of 7 scaled (4 of 5, 8 of 11)."""
    return length if length < MIN_NEAR else math.ceil(length * 5 / 7)


# --------------------------------------------------------------------------------------------
# Building


@dataclass
class _Source:
    path: Path
    dynasty: Dynasty
    kind: Kind


def _sources(root: Path) -> list[_Source]:
    """Tang shi, then Song shi, then Song ci, each in the package's numeric file order."""

    def order(p: Path) -> tuple[int, str]:
        tail = p.stem.rsplit(".", 1)[-1]
        return (int(tail), "") if tail.isdigit() else (1 << 30, tail)

    tang = sorted((root / "dist" / "quantangshi").glob("poet.tang.*.json"), key=order)
    song = sorted((root / "dist" / "quantangshi").glob("poet.song.*.json"), key=order)
    ci = sorted((root / "dist" / "songci").glob("ci.song.*.json"), key=order)
    return (
        [_Source(p, "tang", "shi") for p in tang]
        + [_Source(p, "song", "shi") for p in song]
        + [_Source(p, "song", "ci") for p in ci]
    )


def _fame_key(author: str, lines: list[str]) -> tuple[str, str]:
    first = next((c for line in lines for c in _clauses(line)), "")
    return (_NOT_HAN.sub("", author), first)


def _famous_keys(root: Path, cc: Converter) -> set[tuple[str, str]]:
    """(author, first clause) of the 唐诗三百首 and 宋词三百首 selections the package ships."""
    keys: set[tuple[str, str]] = set()
    for rel in ("dist/quantangshi/唐诗三百首.json", "dist/songci/宋词三百首.json"):
        path = root / rel
        if not path.is_file():
            continue
        for item in json.loads(path.read_text(encoding="utf-8")):
            paras = item.get("paragraphs") or []
            if isinstance(paras, list) and paras:
                text = cc.convert("\n".join([str(item.get("author", ""))] + [str(p) for p in paras]))
                author, *lines = text.split("\n")
                keys.add(_fame_key(author, lines))
    return keys


def _progress(enabled: bool) -> Progress:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE poems (
    id INTEGER PRIMARY KEY, source_id TEXT NOT NULL, author TEXT NOT NULL, title TEXT NOT NULL,
    dynasty TEXT NOT NULL, kind TEXT NOT NULL, form TEXT, famous INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE forms (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE arrays (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE postings (key INTEGER PRIMARY KEY, n INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE TABLE clause_postings (key INTEGER PRIMARY KEY, n INTEGER NOT NULL, ids BLOB NOT NULL);
"""


def _index_current(path: Path, version: str) -> bool:
    if not path.is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False
    return meta.get("schema") == str(SCHEMA) and meta.get("package_version") == version


def build_index(package_root: Path, cache_dir: Path, progress: bool = True, *, force: bool = False) -> Path:
    """Build (or reuse) the corpus index and return its path.

    Reuses an index built from the same package version and ``SCHEMA``; otherwise reads every
    Tang/Song shi and Song ci file once, converts it to simplified, and writes the index to a
    temp file that is renamed into place, so a crash never leaves half an index behind.
    """
    root = Path(package_root)
    version = package_version(root)
    cache = Path(cache_dir)
    target = cache / INDEX_NAME
    if not force and _index_current(target, version):
        return target
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioUnavailable(f"Cannot create the corpus cache {cache}: {exc}") from exc
    tmp = cache / f".{INDEX_NAME}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        _write_index(root, version, tmp, progress)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress:
        from rich.console import Console

        size = target.stat().st_size / 2**20
        Console(stderr=True).print(
            f"corpus index: {target} ({size:.0f} MiB) in {time.monotonic() - started:.0f} s"
        )
    return target


def _write_index(root: Path, version: str, path: Path, progress: bool) -> None:
    cc = _t2s()
    famous = _famous_keys(root, cc)
    sources = _sources(root)
    if not sources:
        raise CorpusMissing(f"No poem files under {root / 'dist'}", hint=install_command(root))
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;")
        con.executescript(_DDL)
        form_codes: dict[str, int] = {}
        forms: list[int] = []
        flags: list[int] = []  # bit 0 clean, bit 1 famous
        nchars: list[int] = []
        index_texts: list[str] = []  # per poem: its clauses joined by '|'
        clause_poems: dict[int, list[int]] = {n: [] for n in range(MIN_CLAUSE, MAX_CLAUSE + 1)}
        clause_texts: dict[int, list[str]] = {n: [] for n in range(MIN_CLAUSE, MAX_CLAUSE + 1)}
        with _progress(progress) as bar:
            task = bar.add_task("reading poems", total=len(sources))
            for src in sources:
                rows = []
                for i, item in enumerate(json.loads(src.path.read_text(encoding="utf-8"))):
                    poem = _read_poem(item, src, i, cc)
                    if poem is None:
                        continue
                    pid = len(forms)
                    lines, form = poem.lines, poem.form
                    is_famous = _fame_key(poem.author, lines) in famous
                    clean = _is_clean(poem)
                    code = form_codes.setdefault(form, len(form_codes) + 1) if form else 0
                    forms.append(code)
                    flags.append(int(clean) | (int(is_famous) << 1))
                    clauses = [c for line in lines for c in _clauses(line)]
                    nchars.append(min(sum(map(len, clauses)), 65535))
                    index_texts.append("|".join(clauses))
                    for c in clauses:
                        if MIN_CLAUSE <= len(c) <= MAX_CLAUSE:
                            clause_poems[len(c)].append(pid)
                            clause_texts[len(c)].append(c)
                    rows.append(
                        (
                            pid,
                            poem.id,
                            poem.author,
                            poem.title,
                            poem.dynasty,
                            poem.kind,
                            form,
                            int(is_famous),
                            "\n".join(lines),
                        )
                    )
                con.executemany("INSERT INTO poems VALUES (?,?,?,?,?,?,?,?,?)", rows)
                bar.advance(task)
            if len(forms) >= 1 << _POEM_BITS:
                raise InvalidInput(f"{len(forms)} poems is more than the index can hold")
            con.executemany("INSERT INTO forms VALUES (?,?)", [(c, n) for n, c in form_codes.items()])
            arrays = {
                "form": np.asarray(forms, dtype="<u2"),
                "flags": np.asarray(flags, dtype="u1"),
                "nchars": np.asarray(nchars, dtype="<u2"),
            }
            con.executemany("INSERT INTO arrays VALUES (?,?)", [(k, v.tobytes()) for k, v in arrays.items()])
            _write_poem_postings(con, index_texts, bar)
            del index_texts
            _write_clauses(con, clause_poems, clause_texts, bar)
        con.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [
                ("schema", str(SCHEMA)),
                ("package_version", version),
                ("poems", str(len(forms))),
                ("built_at", time.strftime("%Y-%m-%dT%H:%M:%S")),
            ],
        )
        con.commit()
    finally:
        con.close()


def _read_poem(item: object, src: _Source, index: int, cc: Converter) -> Poem | None:
    """One package entry as a simplified ``Poem``, or None when it holds no text."""
    if not isinstance(item, dict):
        return None
    paras = item.get("paragraphs")
    if not isinstance(paras, list) or not paras or not all(isinstance(p, str) for p in paras):
        return None
    name = str(item.get("rhythmic") or "") if src.kind == "ci" else str(item.get("title") or "")
    # one opencc call per poem: author, title and lines travel together, split back on '\n'
    text = cc.convert(
        "\n".join(
            [str(item.get("author") or ""), name.replace("\n", " ")] + [p.replace("\n", " ") for p in paras]
        )
    )
    author, name, *lines = text.split("\n")
    lines = [ln.strip() for ln in lines if ln.strip()]
    if not lines:
        return None
    form = (name.strip() or None) if src.kind == "ci" else guess_form(lines)
    raw_id = item.get("id")
    return Poem(
        id=str(raw_id) if raw_id else f"{src.path.stem}:{index}",
        author=author.strip() or "佚名",
        title=name.strip(),
        dynasty=src.dynasty,
        kind=src.kind,
        form=form,
        lines=lines,
    )


def _is_clean(poem: Poem) -> bool:
    """Fit to show a model as an example: nothing but Han characters and ordinary punctuation."""
    if poem.kind == "shi":
        return poem.form in SHI_FORMS and all(_CLEAN_SHI.match(ln) for ln in poem.lines)
    return bool(poem.form) and poem.form != "失调名" and all(_CLEAN_CI.match(ln) for ln in poem.lines)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy 2's hashing ``unique`` is far slower on 30M uint64)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _write_postings(con: sqlite3.Connection, table: str, combined: np.ndarray, bits: int) -> None:
    """``combined`` = sorted unique ``key << bits | id``; one row per key."""
    keys = combined >> np.uint64(bits)
    ids = (combined & np.uint64((1 << bits) - 1)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    deltas = ids.copy()
    deltas[1:] -= ids[:-1]
    deltas[starts] = ids[starts]
    buf = memoryview(deltas.astype("<u4").tobytes())

    def rows() -> Iterator[tuple[int, int, bytes]]:
        for key, s, e in zip(keys[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
            raw = bytes(buf[4 * s : 4 * e])
            n = e - s
            yield key, n, raw if n <= _RAW_MAX else zlib.compress(raw, 6)

    con.executemany(f"INSERT INTO {table} VALUES (?,?,?)", rows())


def _write_poem_postings(con: sqlite3.Connection, texts: list[str], bar: Progress) -> None:
    task = bar.add_task("indexing characters", total=2)
    codes = _codes("|".join(texts) + "|").astype(np.uint64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    poem = np.repeat(np.arange(len(texts), dtype=np.uint64), lengths)
    del lengths
    is_char = codes != _SEP
    pair = is_char[:-1] & is_char[1:]
    bigrams = (codes[:-1][pair] << np.uint64(18)) | codes[1:][pair]
    bigram_keys = (bigrams << np.uint64(_POEM_BITS)) | poem[:-1][pair]
    del bigrams, pair
    char_keys = (codes[is_char] << np.uint64(_POEM_BITS)) | poem[is_char]
    del codes, poem, is_char
    # every char key (< 2**18) sorts before every bigram key, so the two runs can go one by one
    _write_postings(con, "postings", _sorted_unique(char_keys), _POEM_BITS)
    del char_keys
    bar.advance(task)
    _write_postings(con, "postings", _sorted_unique(bigram_keys), _POEM_BITS)
    bar.advance(task)


def _write_clauses(
    con: sqlite3.Connection, poems: dict[int, list[int]], texts: dict[int, list[str]], bar: Progress
) -> None:
    """Clause ids run through lengths 4, 5, … in corpus order; only their poems are stored (the
    text is in the poem), as one zlib-compressed array read on the first ``copied_lines``."""
    task = bar.add_task("indexing lines", total=len(poems) + 1)
    next_id = 0
    parts = []
    owners = []
    for length in sorted(poems):
        ids = np.arange(next_id, next_id + len(poems[length]), dtype=np.uint64)
        owners.append(np.asarray(poems[length], dtype="<u4"))
        if len(ids):
            grid = _codes("".join(texts[length])).astype(np.uint64).reshape(len(ids), length)  # (n, L)
            pos = np.arange(length, dtype=np.uint64)
            keys = (np.uint64(length) << np.uint64(24)) | (pos << np.uint64(18)) | grid  # (n, L)
            parts.append(((keys << np.uint64(_CLAUSE_BITS)) | ids[:, None]).ravel())
        next_id += len(ids)
        bar.advance(task)
    if next_id >= 1 << _CLAUSE_BITS:
        raise InvalidInput(f"{next_id} lines is more than the index can hold")
    combined = _sorted_unique(np.concatenate(parts)) if parts else np.zeros(0, np.uint64)
    _write_postings(con, "clause_postings", combined, _CLAUSE_BITS)
    owner = np.concatenate(owners) if owners else np.zeros(0, "<u4")
    con.execute("INSERT INTO arrays VALUES (?,?)", ("clause_poem", zlib.compress(owner.tobytes(), 6)))
    bar.advance(task)


# --------------------------------------------------------------------------------------------
# Reading


class Corpus:
    """A read-only handle on the index: search by imagery, pick few-shot examples, catch copies.

    Holds one SQLite connection and three per-poem arrays; ``close`` (or ``with``) releases them.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self._con.execute("SELECT key, value FROM meta"))
            arrays = dict(
                self._con.execute("SELECT name, data FROM arrays WHERE name IN ('form', 'flags', 'nchars')")
            )
            self._form_names = dict(self._con.execute("SELECT name, code FROM forms"))
        except sqlite3.DatabaseError as exc:
            raise StudioUnavailable(
                f"Corpus index {self.path} is unreadable: {exc}", hint="delete it and build it again"
            ) from exc
        self.version = meta.get("package_version", "?")
        self._form = np.frombuffer(arrays["form"], dtype="<u2")
        self._flags = np.frombuffer(arrays["flags"], dtype="u1")
        self._nchars = np.frombuffer(arrays["nchars"], dtype="<u2")
        self._cache: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
        self._cc: Converter | None = None
        self._clause_poem: np.ndarray | None = None  # clause id → poem id, read when first needed

    @classmethod
    def open(
        cls,
        package_root: Path | None = None,
        cache_dir: Path | None = None,
        *,
        build: bool = True,
        progress: bool = True,
    ) -> Corpus:
        """Open the index for the package at ``package_root``, building it first when it is
        missing or was built from another package version (``build=False`` makes that an error)."""
        root = Path(package_root) if package_root else default_package_root()
        cache = Path(cache_dir) if cache_dir else default_cache_dir()
        version = package_version(root)
        path = cache / INDEX_NAME
        if not _index_current(path, version):
            if not build:
                raise CorpusMissing(
                    f"No corpus index for {PACKAGE_NAME} {version} in {cache}",
                    hint="run duetto's corpus build (build_index) first",
                )
            path = build_index(root, cache, progress)
        return cls(path)

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def __len__(self) -> int:
        return len(self._form)

    # ---- shared helpers

    def _simplify(self, text: str) -> str:
        if self._cc is None:
            self._cc = _t2s()
        return self._cc.convert(text)

    def _postings(self, table: str, keys: list[int]) -> dict[int, np.ndarray]:
        """Decoded posting lists for ``keys`` (absent keys are left out), with a small LRU."""
        out: dict[int, np.ndarray] = {}
        missing = []
        for key in keys:
            hit = self._cache.get((table, key))
            if hit is None:
                missing.append(key)
            else:
                self._cache.move_to_end((table, key))
                out[key] = hit
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, n, blob in self._con.execute(
                f"SELECT key, n, ids FROM {table} WHERE key IN ({marks})", chunk
            ):
                out[key] = self._cache[(table, key)] = _decode(blob, n)
        while len(self._cache) > 256:
            self._cache.popitem(last=False)
        return out

    def _posting_sizes(self, table: str, keys: list[int]) -> dict[int, int]:
        marks = ",".join("?" * len(keys))
        return dict(self._con.execute(f"SELECT key, n FROM {table} WHERE key IN ({marks})", keys))

    def _poems(self, ids: list[int]) -> dict[int, Poem]:
        marks = ",".join("?" * len(ids))
        rows = self._con.execute(
            f"SELECT id, source_id, author, title, dynasty, kind, form, famous, text FROM poems WHERE id IN ({marks})",
            ids,
        )
        return {
            r[0]: Poem(
                id=r[1],
                author=r[2],
                title=r[3],
                dynasty=r[4],
                kind=r[5],
                form=r[6],
                famous=bool(r[7]),
                lines=r[8].split("\n"),
            )
            for r in rows
        }

    def _form_codes(self, form: str) -> list[int]:
        name = normalize_form(self._simplify(form))
        if name in self._form_names:
            return [self._form_names[name]]
        # a ci 词牌 written "醉落魄・一斛珠" answers to either name
        return [c for n, c in self._form_names.items() if name in re.split(r"[・·]", n)]

    def forms(self) -> list[str]:
        """Every form present: the four regulated shi forms and each 词牌."""
        return sorted(self._form_names)

    # ---- search

    def search(self, imagery: list[str], form: str | None = None, limit: int = 10) -> list[Poem]:
        """Poems sharing the most imagery with the query, best first.

        A poem scores the number of imagery words it contains, plus less than one for the share
        of the query's characters it holds, damped by the poem's length; so any whole word found
        outranks loose characters, and a quatrain outranks a 百韵 poem with the same words. Ties
        go to 三百首 poems, then shorter poems, then corpus order (Tang before Song).
        """
        return self._rank(imagery, form, limit, clean_only=False, need_imagery=True)

    def examples(self, form: str, imagery: list[str] | None = None, k: int = 3) -> list[Poem]:
        """``k`` well-formed poems of ``form`` for a few-shot prompt, nearest the imagery first.

        Only poems made of Han characters and ordinary punctuation, with exactly the shape of
        the form (for ci: a known 词牌), qualify; with no imagery the 三百首 ones come first.
        """
        if not form or not form.strip():
            raise InvalidInput("examples need a form (五绝, 七律, a 词牌 …)")
        return self._rank(imagery or [], form, k, clean_only=True, need_imagery=False)

    def _rank(
        self, imagery: list[str], form: str | None, limit: int, *, clean_only: bool, need_imagery: bool
    ) -> list[Poem]:
        if limit < 1:
            raise InvalidInput(f"limit must be at least 1, got {limit}")
        words = _query_words(self._simplify(" ".join(imagery))) if imagery else []
        if need_imagery and not words:
            raise InvalidInput(
                "search needs at least one imagery word in Chinese characters",
                hint="e.g. ['秋', '黄昏', '落叶']",
            )
        n = len(self)
        mask = np.ones(n, dtype=bool)
        if form:
            codes = self._form_codes(form)
            if not codes:
                known = "、".join(SHI_FORMS)
                raise InvalidInput(
                    f"No poems of form {form!r} in the corpus", hint=f"use {known} or a 词牌 such as 浣溪沙"
                )
            mask &= np.isin(self._form, np.asarray(codes, dtype="<u2"))
        if clean_only:
            mask &= (self._flags & 1).astype(bool)
        chars = sorted({ch for w in words for ch in w})
        word_hits = np.zeros(n, dtype=np.int64)
        char_hits = np.zeros(n, dtype=np.int64)
        keys = [ord(c) for c in chars]
        keys += [_bigram(ord(a), ord(b)) for w in words for a, b in zip(w, w[1:], strict=False)]
        post = self._postings("postings", keys)
        empty = np.zeros(0, dtype=np.int64)
        for c in chars:
            char_hits[post.get(ord(c), empty)] += 1
        for w in words:
            if len(w) == 1:
                hit = post.get(ord(w), empty)
            else:  # all bigrams present: exact for 2-char words, an upper bound beyond
                lists = [post.get(_bigram(ord(a), ord(b)), empty) for a, b in zip(w, w[1:], strict=False)]
                hit = lists[0]
                for other in lists[1:]:
                    hit = np.intersect1d(hit, other, assume_unique=True)
            word_hits[hit] += 1
        if words:
            mask &= (word_hits > 0) | (char_hits > 0)
        cand = np.flatnonzero(mask)
        if not len(cand):
            return []
        nchars = self._nchars[cand].astype(np.int64)
        score = _score(word_hits[cand], char_hits[cand], len(chars), nchars)
        # one int64 key, larger is better: score, famous, shortness, earliness (ids are unique,
        # so the top ``take`` is well defined and the same on every run)
        famous = ((self._flags[cand] >> 1) & 1).astype(np.int64)
        quantized = np.round(score * (1 << 20)).astype(np.int64)
        key = ((quantized << 1 | famous) << 12 | (4095 - np.minimum(nchars, 4095))) << _POEM_BITS
        key |= (1 << _POEM_BITS) - 1 - cand
        take = min(len(cand), limit * 3 + 10)  # room for duplicates and ≥3-character words
        top = cand[np.argpartition(-key, take - 1)[:take]] if take < len(cand) else cand
        poems = self._poems(top.tolist())
        ranked = []
        for pid in top.tolist():
            p = poems[pid]
            clauses = [c for ln in p.lines for c in _clauses(ln)]
            flat = "|".join(clauses)
            matched = [w for w in words if w in flat]  # exact, also for words of 3+ characters
            shared = sum(ch in flat for ch in chars)
            length = int(self._nchars[pid])
            exact = float(
                _score(np.array([len(matched)]), np.array([shared]), len(chars), np.array([length]))[0]
            )
            order = (-round(exact * (1 << 20)), -int(p.famous), min(length, 4095), pid)
            ranked.append((order, clauses[:2], p.model_copy(update={"score": exact, "matched": matched})))
        ranked.sort(key=lambda r: r[0])
        out: list[Poem] = []
        seen: set[str] = set()
        for _, opening, poem in ranked:
            # the corpus holds some poems twice (a 乐府 under two titles, a variant character):
            # a poem whose first or second clause was already shown is taken for a duplicate
            if not seen.intersection(opening):
                out.append(poem)
            seen.update(opening)
        return out[:limit]

    # ---- copies

    def copied_lines(self, text: str) -> list[Match]:
        """Clauses of a draft found verbatim in the corpus, or nearly (≥ 5 of 7 characters at
        the same positions, 4 of 5, 5 of 6 …; clauses under 5 characters only verbatim).

        The draft is simplified and split at punctuation and spaces; clauses shorter than 4
        characters are skipped as too common to mean anything.
        """
        found: list[tuple[int, str, str, list[int], int]] = []  # line, clause, norm, ids, same
        for line_no, line in enumerate(text.split("\n"), start=1):
            for part in re.split(r"[\s，。！？；：、,.!?;:]+", line):
                norm = _NOT_HAN.sub("", self._simplify(part)) if part else ""
                if not (MIN_CLAUSE <= len(norm) <= MAX_CLAUSE):
                    continue
                hit = self._nearest_clause(norm)
                if hit:
                    found.append((line_no, part, norm, *hit))
        if not found:
            return []
        owner = self._owners()
        shown = {cid: int(owner[cid]) for f in found for cid in f[3][:4]}
        poems = self._poems(sorted(set(shown.values())))
        out = []
        for line_no, part, norm, ids, same in found:
            poem = poems[shown[ids[0]]]
            # the poem holds the clause: the one of this length agreeing on ``same`` positions
            clause = next(
                c
                for ln in poem.lines
                for c in _clauses(ln)
                if len(c) == len(norm) and sum(map(str.__eq__, c, norm)) == same
            )
            also = [f"{poems[shown[c]].author}《{poems[shown[c]].title}》" for c in ids[1:4]]
            out.append(
                Match(
                    line_no=line_no,
                    clause=part,
                    normalized=norm,
                    kind="verbatim" if same == len(norm) else "near",
                    same=same,
                    length=len(norm),
                    corpus_clause=clause,
                    author=poem.author,
                    title=poem.title,
                    dynasty=poem.dynasty,
                    poem_id=poem.id,
                    sources=len(ids),
                    also=also,
                )
            )
        return out

    def _nearest_clause(self, norm: str) -> tuple[list[int], int] | None:
        """(clause ids best first, positions equal) of the closest corpus clauses."""
        length = len(norm)
        need = _near_threshold(length)
        keys = [_clause_key(length, i, ord(ch)) for i, ch in enumerate(norm)]
        sizes = self._posting_sizes("clause_postings", keys)
        if len(sizes) < need:
            return None
        # pigeonhole: a clause missing at most (length - need) positions agrees on one of any
        # (length - need + 1) of them, so the shortest that many lists hold every candidate
        by_size = sorted(keys, key=lambda k: sizes.get(k, 0))
        seeds = by_size[: length - need + 1]
        post = self._postings("clause_postings", [k for k in keys if k in sizes])
        parts = [post[k] for k in seeds if k in post]
        if not parts:
            return None
        cand = _sorted_unique(np.concatenate(parts))
        same = np.zeros(len(cand), dtype=np.int64)
        for k in keys:
            ids = post.get(k)
            if ids is None or not len(ids):
                continue
            at = np.minimum(np.searchsorted(ids, cand), len(ids) - 1)
            same += ids[at] == cand
        ok = same >= need
        if not ok.any():
            return None
        best = same[ok].max()
        winners = cand[ok][same[ok] == best]
        return self._prefer(winners), int(best)

    def _owners(self) -> np.ndarray:
        if self._clause_poem is None:
            (blob,) = self._con.execute("SELECT data FROM arrays WHERE name = 'clause_poem'").fetchone()
            self._clause_poem = np.frombuffer(zlib.decompress(blob), dtype="<u4")
        return self._clause_poem

    def _prefer(self, clause_ids: np.ndarray) -> list[int]:
        """Equally close clauses, those from 三百首 poems first, then the earliest poems."""
        poems = self._owners()[clause_ids].astype(np.int64)
        famous = ((self._flags[poems] >> 1) & 1).astype(np.int64)
        return [int(i) for i in clause_ids[np.lexsort((poems, -famous))]]


def _score(words: np.ndarray, chars: np.ndarray, n_chars: int, length: np.ndarray) -> np.ndarray:
    """Whole imagery words found, plus a fraction below one for loose characters: the share of
    the query's characters present, damped by length so a 百韵 poem that holds every common
    character by chance does not outrank a quatrain that holds most of them on purpose."""
    loose = chars / max(n_chars, 1) * (64.0 / (64.0 + np.maximum(length, 28)))  # ≤ a 七绝: no damping
    return np.asarray(np.round(words + loose, 6), dtype=np.float64)


def _query_words(text: str) -> list[str]:
    """Imagery words from the query, in order, duplicates dropped: '秋日 黄昏，落叶' → 3 words."""
    seen: list[str] = []
    for w in _NOT_HAN.split(text):
        if w and w not in seen:
            seen.append(w)
    return seen
