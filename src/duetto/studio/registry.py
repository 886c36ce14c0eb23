"""The registry at work: what a version is close to before it is published, and which published
work a bare file is, by hash or by likeness.

Before a version is published it is compared with

* the studio's registry: every work published here (``store.registry``);
* the artist's own imports: pictures, texts and MIDI a person brought into the studio, which
  may be someone else's work;
* for a Chinese poem, the Tang and Song corpus when it is installed: its clauses copied verbatim
  or nearly (``Corpus.copied_lines``, the check poems are already drafted against).

The version's own lineage is left out: a revision of one's own published work is not a copy.
Near matches become warnings that name the closest work and its distance; publishing goes on
(the person decides), and the warnings are kept in the publish result.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from duetto.errors import DuettoError, InvalidInput
from duetto.rights import fingerprint
from duetto.rights.fingerprint import Fingerprint
from duetto.rights.nearest import IMAGE_NEAR_BITS, Entry, Index, Match
from duetto.store.publications import PublishedFile
from duetto.store.records import VersionRecord
from duetto.store.registry import RegisteredFile, Registry
from duetto.studio.studio import Studio

WATERMARK_BITS = 4  # of 64: how far a re-encoded watermark may be from the id it names


class Likeness(BaseModel):
    version: str
    kind: str | None = Field(description="image, text or music; None when the file has no perceptual key")
    checked: list[str] = Field(description="What was searched, e.g. 'registry (3 works)', 'imports (2)'.")
    matches: list[Match] = Field(default_factory=list, description="The closest works found, closest first.")
    copied_lines: list[str] = Field(default_factory=list, description="Poem clauses found in the corpus.")
    warnings: list[str] = Field(default_factory=list)


class RegistryMatch(BaseModel):
    """Which published work a file is, found without its manifest."""

    publication: str
    version: str
    title: str
    how: str = Field(description="sha256 (the same bytes) | watermark (the version id in the pixels) | phash | "
                                 "text | music (by likeness)")
    layer: str | None = Field(None, description="for sha256: original, signed or sidecar")
    distance: float | None = None


def key_of(data: bytes, ext: str) -> Fingerprint | None:
    """The perceptual key of a file, or None for kinds that have none (WAV, PDF …) and files too
    small to have one (a MIDI file of three notes)."""
    try:
        fingerprint.kind_of(ext)
    except InvalidInput:
        return None
    try:
        return fingerprint.of_bytes(data, ext)
    except InvalidInput:
        return None


def _add_imports(studio: Studio, index: Index, skip: set[str]) -> int:
    """The artist's imported files into ``index`` (this project's only: another project's
    imports are private to its members); how many had a key."""
    added = 0
    for work in studio.repo.works(project_id=studio.project_id):
        for v in studio.repo.versions_of(work.id):
            if v.author_kind != "human" or v.id in skip or v.deleted:
                continue
            fp = key_of(studio.blobs.read(v.sha256, v.ext), v.ext)
            if fp is not None:
                index.add(Entry(id=v.id, title=f"{work.title} (imported by {v.author})", source="import",
                                version=v.id), fp)
                added += 1
    return added


def _words(m: Match) -> str:
    if m.kind == "image":
        bits = round(m.distance * 64)
        return f"{bits} of 64 bits apart (near is ≤ {IMAGE_NEAR_BITS})"
    return f"shares {1 - m.distance:.0%} of its {'phrases' if m.kind == 'text' else 'melodic turns'}"


def likeness(studio: Studio, version: VersionRecord) -> Likeness:
    """The version against the registry, the artist's imports and (poems) the corpus."""
    lineage = {version.id, *studio.repo.ancestors(version.id)}
    data = studio.blobs.read(version.sha256, version.ext)
    fp = key_of(data, version.ext)
    report = Likeness(version=version.id, kind=fp.kind if fp else None, checked=[])
    if fp is not None:
        index = Registry(studio.repo).index(leave_out=lineage)
        registered = index.count(fp.kind)
        imports = _add_imports(studio, index, lineage)
        report.checked += [f"registry ({registered} works)", f"imports ({imports})"]
        report.matches = index.nearest(fp, k=3)
        for m in report.matches:
            if m.near:
                where = "published here" if m.source == "registry" else "an import"
                report.warnings.append(f"near duplicate of “{m.title}” ({where}, version {(m.version or m.id)[:10]}): "
                                       f"{_words(m)}")
    if version.spec.medium == "poem" and version.ext in ("md", "txt"):
        report.copied_lines, note = _corpus_lines(data.decode("utf-8", "replace"))
        report.checked.append(note)
        if report.copied_lines:
            report.warnings.append(f"{len(report.copied_lines)} line(s) copy the poetry corpus: "
                                   + "; ".join(report.copied_lines[:3]))
    return report


def _corpus_lines(text: str) -> tuple[list[str], str]:
    from duetto.media.text.corpus import Corpus

    try:
        corpus = Corpus.open(build=False, progress=False)
    except DuettoError:
        return [], "poetry corpus (not installed: skipped)"
    found = [f"{m.clause} ≈ {m.corpus_clause} ← {m.author}《{m.title}》 ({m.kind})" for m in corpus.copied_lines(text)]
    return found, "poetry corpus"


def register(studio: Studio, publication_id: str, version: VersionRecord, files: dict[str, bytes],
             published: list[PublishedFile]) -> None:
    """Every published file by its hashes; the version's own file also by its perceptual key."""
    rows = []
    for f in published:
        key = key_of(files[f.ext], f.ext) if f.ext == version.ext else None
        rows.append(RegisteredFile(ext=f.ext, sha256=f.sha256, signed_sha256=f.signed_sha256,
                                   sidecar_sha256=f.sidecar_sha256, fingerprint=key))
    Registry(studio.repo).add(publication_id, rows)


def find(studio: Studio, data: bytes, name: str, sha256: str) -> RegistryMatch | None:
    """The published work this file is: by its exact bytes at any layer, else by likeness."""
    registry = Registry(studio.repo)
    hit = registry.by_hash(sha256)
    if hit is not None:
        return RegistryMatch(publication=hit.publication, version=hit.version, title=hit.title, how="sha256",
                             layer=hit.layer, distance=0.0)
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    marked = _watermarked(studio, data, ext)
    if marked is not None:
        return marked
    fp = key_of(data, ext)
    if fp is None:
        return None
    best = registry.index().nearest(fp, k=1)
    if not best or not best[0].near:
        return None
    m = best[0]
    return RegistryMatch(publication=m.id, version=m.version or "", title=m.title,
                         how="phash" if m.kind == "image" else m.kind, distance=m.distance)


def _watermarked(studio: Studio, data: bytes, ext: str) -> RegistryMatch | None:
    """The published version whose id a picture's invisible watermark names, if the watermark
    extra is installed. A re-encode can flip a bit or two of the 64, so the bits read back are
    matched to the nearest published version id within ``WATERMARK_BITS`` bits: unmarked
    pictures decode to noise some 32 bits from every id, and the chance that noise lands within
    4 bits of a given id is below 10⁻¹²."""
    from duetto.rights import watermark
    from duetto.store.publications import Publications

    if ext.lower() not in ("png", "jpg", "jpeg", "webp") or not watermark.available():
        return None
    try:
        bits = watermark.read(data)
    except InvalidInput:
        return None
    if bits is None:
        return None
    store = Publications(studio.repo)
    read = int.from_bytes(bits, "big")
    published = store.version_ids()
    best = min(((int(vid[:16], 16) ^ read).bit_count(), vid) for vid in published) if published else None
    if best is None or best[0] > WATERMARK_BITS:
        return None
    pub = store.of_version(best[1])
    if pub is None:
        return None
    return RegistryMatch(publication=pub.id, version=best[1], title=pub.title, how="watermark",
                         distance=round(best[0] / 64, 4))
