"""A registration dossier: what a copyright office or a buyer asks about a work, in one PDF and
one JSON document made from what the studio already records.

* **description**: title, medium, the brief, the licence when published;
* **authors and roles**: each person with the acts they did (brief, feedback, selection, edit …)
  and their share; each engine with its version and whether it is a learned model;
* **process history**: every version of the lineage, oldest first: what was done, by whom, with
  which words, its SHA-256, and a thumbnail for pictures;
* **statement of AI involvement**, written from the ledger: which parts are human (the brief,
  the feedback, the choices, a person's own edits) and which machine (each generation);
* **hashes and the manifest**: the published files' hashes and the signed C2PA manifest when the
  version is published (``duetto publish``); otherwise the dossier says it is unpublished.

Nothing is stored: the dossier is made on request, so it always matches the studio's record.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from duetto.store.publications import PublicationRecord, Publications
from duetto.store.records import VersionRecord
from duetto.studio.generate import OnVersion
from duetto.studio.kernel import Request
from duetto.studio.shares import shares_of
from duetto.studio.studio import Studio

THUMB = 96  # points: a thumbnail's side in the PDF
HUMAN_ROLES = {"brief": "gave the brief", "feedback": "gave feedback", "selection": "chose and directed",
               "edit": "edited by hand", "palette": "chose colours", "region": "chose a region",
               "reference image": "gave a reference picture"}


class DossierRequest(Request):
    version: str = Field(description="The version the dossier is about (its lineage is included).")


class Person(BaseModel):
    name: str
    roles: list[str]
    acts: dict[str, int]
    share: float


class EngineUsed(BaseModel):
    name: str
    learned: bool
    generations: int


class Step(BaseModel):
    version: str
    operation: str
    by: str
    kind: Literal["human", "ai"]
    words: list[str] = Field(default_factory=list, description="What the person said or chose for this step.")
    sha256: str
    ext: str
    created_at: datetime


class Dossier(BaseModel):
    version: str
    work: str
    title: str
    medium: str
    brief: str
    people: list[Person]
    engines: list[EngineUsed]
    history: list[Step]
    statement: str
    published: bool
    publication: PublicationRecord | None = None
    files: list[dict[str, Any]] = Field(default_factory=list, description="Published files and their hashes.")


def dossier(studio: Studio, req: DossierRequest, on_version: OnVersion | None = None) -> Dossier:
    from duetto.studio.publish import LEARNED_ENGINES, lineage

    version = studio.version(req.version)
    work = studio.repo.work(version.work_id)
    versions = lineage(studio, version)
    held = shares_of(studio, version)
    by_version: dict[str, list[Any]] = defaultdict(list)
    for e in held.ledger:
        by_version[e.version].append(e)
    people: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    engines: dict[str, int] = defaultdict(int)
    history = []
    for v in versions:
        entries = by_version.get(v.id, [])
        for e in entries:
            if e.contributor_kind == "human":
                people[e.contributor][e.kind] += 1
            else:
                engines[e.contributor] += 1
        history.append(Step(version=v.id, operation=v.operation, by=v.author, kind="ai" if v.author_kind == "ai" else "human",
                            words=[f"{e.kind}: {e.detail}" for e in entries if e.contributor_kind == "human"],
                            sha256=v.sha256, ext=v.ext, created_at=v.created_at))
    share = {s.payee: s.share for s in held.shares}
    persons = [Person(name=p.removeprefix("user:"), roles=[HUMAN_ROLES.get(k, k) for k in acts], acts=dict(acts),
                      share=round(share.get(p, 0.0), 6)) for p, acts in sorted(people.items())]
    used = [EngineUsed(name=e.removeprefix("engine:"), learned=e.removeprefix("engine:").split("@")[0] in LEARNED_ENGINES,
                       generations=n) for e, n in sorted(engines.items())]
    publication = Publications(studio.repo).of_version(version.id)
    return Dossier(
        version=version.id, work=work.id, title=publication.title if publication else work.title,
        medium=version.spec.medium, brief=version.spec.brief or work.brief, people=persons, engines=used,
        history=history, statement=statement(persons, used, history), published=publication is not None,
        publication=publication,
        files=[f.model_dump(mode="json") for f in publication.files] if publication else [],
    )


def statement(people: list[Person], engines: list[EngineUsed], history: list[Step]) -> str:
    """The AI involvement in plain words, from the ledger: what people did, what machines did."""
    names = ", ".join(p.name for p in people) or "nobody"
    human_steps = sum(1 for s in history if s.kind == "human")
    said = sorted({role for p in people for role in p.roles})
    parts = [f"Human authorship: {names} {', '.join(said) or 'took no recorded part'}"
             f"{f'; {human_steps} of the {len(history)} versions are their own hand (imported edits)' if human_steps else ''}."]
    if engines:
        made = "; ".join(f"{e.name} ({'a learned model' if e.learned else 'a procedural engine, no learned model'}, "
                         f"{e.generations} generation{'s' if e.generations != 1 else ''})" for e in engines)
        ai_steps = len(history) - human_steps
        parts.append(f"Machine generation: {ai_steps} of the {len(history)} versions were generated by {made}, "
                     "each from the people's brief, feedback and choices recorded above.")
    else:
        parts.append("No machine generated any version of this lineage.")
    return " ".join(parts)


def to_json(d: Dossier) -> str:
    return json.dumps(d.model_dump(mode="json"), ensure_ascii=False, indent=2)


def to_pdf(studio: Studio, d: Dossier) -> bytes:
    """The dossier as pages a person can file: the statement first, then the history with
    thumbnails, then the hashes and the manifest's assertions."""
    from duetto.media.text.export import document

    def thumb(step: Step) -> bytes | None:  # JPEG bytes of a picture's thumbnail
        if step.ext not in ("png", "jpg", "jpeg", "webp"):
            return None
        from PIL import Image

        im = Image.open(io.BytesIO(studio.blobs.read(step.sha256, step.ext))).convert("RGB")
        im.thumbnail((THUMB * 2, THUMB * 2))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=88)  # fpdf embeds a JPEG as it is; a PNG it would decode and deflate again
        return buf.getvalue()

    blocks: list[tuple[str, Any]] = [
        ("h1", f"Registration dossier: {d.title}"),
        ("p", f"Version {d.version} of work {d.work} · {d.medium} · "
              + (f"published, licence {d.publication.licence}" if d.publication else "not published")),
        ("p", f"Brief: {d.brief}"),
        *([("p", f"Authors, as published: {', '.join(d.publication.authors)}")] if d.publication else []),
        ("h2", "Statement of AI involvement"), ("p", d.statement),
        ("h2", "Authors and roles"),
        *[("p", f"{p.name}: {', '.join(p.roles)} ({p.share:.1%} share)") for p in d.people],
        *[("p", f"{e.name}: {'learned model' if e.learned else 'procedural engine'}, {e.generations} generation(s)")
          for e in d.engines],
        ("h2", f"Process history ({len(d.history)} versions)"),
    ]
    for i, s in enumerate(d.history, 1):
        words = f" — {'; '.join(s.words)}" if s.words else ""
        blocks.append(("step", (f"{i}. {s.operation} by {s.by} ({s.kind}), {s.created_at:%Y-%m-%d %H:%M}{words}\n"
                                f"sha256 {s.sha256}", thumb(s))))
    if d.publication:
        blocks.append(("h2", "Published files"))
        blocks += [("mono", f"{f['ext']}: signed {f['signed_sha256']}"
                    + (f"\n  sidecar {f['sidecar_sha256']}" if f.get("sidecar_sha256") else "")) for f in d.files]
        blocks.append(("h2", "C2PA manifest (assertions)"))
        for a in d.publication.manifest.get("assertions", []):
            blocks.append(("mono", f"{a.get('label')}: {json.dumps(a.get('data'), ensure_ascii=False)[:900]}"))
    return document(f"Dossier {d.title}", blocks, thumb_size=THUMB)


def dossier_files(studio: Studio, version: VersionRecord) -> tuple[Dossier, bytes, str]:
    d = dossier(studio, DossierRequest(version=version.id))
    return d, to_pdf(studio, d), to_json(d)
