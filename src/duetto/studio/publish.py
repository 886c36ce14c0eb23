"""``publish`` and ``verify``: a version as a signed, licensed work, and any file checked back.

Publishing signs each of the version's files (and any renderings asked for) with a C2PA
manifest made from what the studio already knows:

- **actions**, one per version of its lineage, oldest first: the first ``c2pa.created``, the
  rest ``c2pa.edited``. An engine's act says which engine and version made it
  (``softwareAgent``) and ``digitalSourceType`` ``trainedAlgorithmicMedia`` for learned models
  (language models, diffusion, neural style transfer) or ``algorithmicMedia`` for procedural
  ones (the painter, the composer, layouts, recolouring); a person's import is ``humanEdits``.
  Every action names duetto's operation (``restyle``, ``blend``, ``breed`` …) and version id in
  its ``parameters``;
- **ingredients**: the version's parents as ``parentOf``, the pictures it read besides them
  (a style painting, a reference image) as ``inputTo``;
- ``org.duetto.contributions``: the people and engines (with versions) of the lineage and their
  shares (``duetto.studio.shares``, see ``contribution_shares``);
- the licence as a schema.org ``CreativeWork`` (name, authors, licence URL or text), and the
  training and data-mining preference as ``c2pa.training-mining``.

The signed files are blobs; the publication is a row (``duetto.store.publications``), and from
then on the version cannot be deleted. ``verify`` reads an embedded or sidecar manifest, checks it
against the studio's anchors (every root it ever had, unless revoked, plus
``Settings.trust_anchors``) and its own revocation list, and says who did what.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from duetto import __version__
from duetto.engine import Recipe
from duetto.errors import Conflict, InvalidInput
from duetto.rights import provenance, watermark
from duetto.rights.identity import Certificate, Identity
from duetto.store.publications import (
    PublicationRecord,
    Publications,
    PublishedFile,
    Training,
)
from duetto.store.records import ContributionRecord, VersionRecord
from duetto.studio.generate import OnVersion
from duetto.studio.kernel import Request, UploadField, live
from duetto.studio.registry import Likeness, RegistryMatch, find, likeness, register
from duetto.studio.shares import shares_of
from duetto.studio.studio import Studio

LICENCES: dict[str, tuple[str, str | None]] = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Attribution-ShareAlike 4.0 International",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC-BY-NC-4.0": ("Creative Commons Attribution-NonCommercial 4.0 International",
                     "https://creativecommons.org/licenses/by-nc/4.0/"),
    "CC-BY-NC-SA-4.0": ("Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
                        "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    "CC-BY-ND-4.0": ("Creative Commons Attribution-NoDerivatives 4.0 International",
                     "https://creativecommons.org/licenses/by-nd/4.0/"),
    "CC0-1.0": ("CC0 1.0 Universal (public domain dedication)", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "all-rights-reserved": ("All rights reserved", None),
    "custom": ("Custom licence", None),
}
Licence = Literal["CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC0-1.0",
                  "all-rights-reserved", "custom"]

# Engines that are learned models; the rest are procedural. An engine may say so itself
# (``learned = True``, e.g. one trained in the training lab); the stylist depends on its method.
LEARNED_ENGINES = frozenset({"poet", "storyteller", "screenwriter", "diffusion", "stable-diffusion"})
CONTRIBUTIONS = "org.duetto.contributions"
EXIT_CODES: dict[str, int] = {"trusted": 0, "untrusted": 10, "invalid": 11, "revoked": 12, "no_manifest": 13,
                              "registered": 14}
"""``duetto verify``'s exit status for each verdict (errors keep theirs: 2 bad input, 3 no studio);
``registered``: no manifest, but the file is a work published here (found by hash or likeness)."""
_REFERENCE_BLOB = re.compile(r"\(blob ([0-9a-f]{16})\.([a-z0-9]{1,8})\)")


class PublishRequest(Request):
    """What a person declares when publishing a version."""

    version: str
    title: str | None = Field(None, max_length=200, description="The work's title; default: the work's.")
    authors: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50, description="Authors as credited; default: the people of its lineage.")
    licence: Licence = Field("all-rights-reserved", description="A Creative Commons licence, CC0, all rights "
                                                                 "reserved, or custom (then give licence_text).")
    licence_text: str | None = Field(None, max_length=10_000, description="The terms of a custom licence.")
    training: Training = Field("notAllowed", description="May the work train or be mined by AI: allowed, "
                                                         "notAllowed or constrained (c2pa.training-mining).")
    formats: list[Annotated[str, Field(pattern=r"^[a-z0-9]{1,16}$")]] = Field(
        default_factory=list, max_length=6, description="Renderings signed too: pdf, md, fountain (text); "
                                                        "musicxml, mp3, wav (music).")
    thumbnail: bool = Field(False, description="Embed a thumbnail in the manifest (larger files).")
    watermark: bool = Field(False, description="Also hide the version id in a picture's pixels (an invisible "
                            "watermark that outlives a stripped manifest and a JPEG re-encode; duetto[watermark]).")
    allow_similar: bool = Field(False, description="Publish even when the version is a near duplicate of a work "
                                "published here or imported (a published version is immutable, so a near "
                                "copy is refused unless this says it is meant).")

    @model_validator(mode="after")
    def _custom_has_text(self) -> PublishRequest:
        if self.licence == "custom" and not (self.licence_text or "").strip():
            raise ValueError("a custom licence needs its terms in licence_text")
        if self.licence != "custom" and self.licence_text:
            raise ValueError(f"licence_text is for a custom licence, not {self.licence}")
        return self


class NearDuplicate(Conflict):
    """The version is close to a work published here or imported: refused until the person says
    it is meant (``allow_similar``), since a publication cannot be taken back. HTTP 409."""

    code = "near_duplicate"


class Published(BaseModel):
    publication: PublicationRecord
    version: VersionRecord
    signer: Certificate
    files: dict[str, str] = Field(description="Each published file by name (png, md, md.c2pa …): its path in the studio.")
    likeness: Likeness = Field(description="What the version was compared with before publishing, and its warnings.")


class VerifyRequest(Request):
    file: UploadField = Field(description="The file to check.")
    sidecar: UploadField | None = Field(None, description="Its .c2pa sidecar, for formats that cannot embed one.")


class SignerSeen(BaseModel):
    common_name: str | None = None
    issuer: str | None = None
    serial: str | None = None
    ours: bool = Field(False, description="Issued by this studio's identity.")
    revoked_reason: str | None = None


class ActionSeen(BaseModel):
    action: str
    by: str = Field(description="An engine with its version, or 'a person'.")
    source_type: str | None = Field(None, description="IPTC digital source type, its last word.")
    operation: str | None = None
    when: str | None = None
    description: str | None = None


class Verdict(BaseModel):
    status: Literal["trusted", "untrusted", "invalid", "revoked", "no_manifest", "registered"]
    exit_code: int
    summary: str
    file: str
    sidecar: str | None = None
    embedded: bool = False
    title: str | None = None
    claim_generator: str | None = None
    signer: SignerSeen | None = None
    actions: list[ActionSeen] = Field(default_factory=list)
    ingredients: list[dict[str, str]] = Field(default_factory=list)
    contributions: dict[str, Any] | None = None
    licence: dict[str, Any] | None = None
    training: dict[str, Any] | None = None
    failures: list[dict[str, str]] = Field(default_factory=list)
    publication: PublicationRecord | None = Field(None, description="This studio's publication of these bytes.")
    registry_match: RegistryMatch | None = Field(
        None, description="The work published here that a file without its manifest is, by hash or likeness.")


# -- the studio's identity ---------------------------------------------------------------------


def identity_of(studio: Studio) -> Identity:
    secret = studio.settings.identity_passphrase
    return Identity(studio.home, name=studio.settings.identity_name,
                    passphrase=secret.get_secret_value() if secret is not None else None)


def anchors_of(studio: Studio) -> str:
    pem = identity_of(studio).anchors()
    extra = studio.settings.trust_anchors
    if extra is not None:
        try:
            pem += extra.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read the trust anchors {extra}: {exc}") from None
    return pem


# -- the manifest ------------------------------------------------------------------------------


def lineage(studio: Studio, version: VersionRecord) -> list[VersionRecord]:
    """The version and every ancestor (across works, through derive), oldest first."""
    found = [studio.repo.version(v) for v in studio.repo.ancestors(version.id)]
    return sorted([*found, version], key=lambda v: (v.created_at, v.seq))


def contributions_of(studio: Studio, versions: list[VersionRecord]) -> dict[str, list[ContributionRecord]]:
    wanted = {v.id for v in versions}
    out: dict[str, list[ContributionRecord]] = {}
    for work in dict.fromkeys(v.work_id for v in versions):
        for v, contribs in studio.repo.contributions(work):
            if v.id in wanted:
                out[v.id] = contribs
    return out


def is_learned(studio: Studio, recipe: Recipe) -> bool:
    if recipe.engine == "stylist":
        return recipe.params.get("method", "neural") == "neural"
    try:
        said = getattr(studio.registry.get(recipe.engine), "learned", None)
    except Exception:  # an engine no longer installed: judge by its name
        said = None
    return bool(said) if said is not None else recipe.engine in LEARNED_ENGINES


def person(contributor: str) -> str:
    return contributor.removeprefix("user:")


def actions_of(studio: Studio, versions: list[VersionRecord], credits: dict[str, list[ContributionRecord]],
               parent_labels: list[str]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for i, v in enumerate(versions):
        raw = studio.repo.recipe(v.id)
        said = [c.detail for c in credits.get(v.id, []) if c.contributor_kind == "human" and c.detail]
        params: dict[str, Any] = {"org.duetto.operation": v.operation, "org.duetto.version": v.id}
        if said:
            params["description"] = "; ".join(said)[:500]
        action: dict[str, Any] = {"action": "c2pa.created" if i == 0 else "c2pa.edited",
                                  "when": v.created_at.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")}
        if raw is not None and v.author_kind == "ai":
            recipe = Recipe.model_validate(raw)
            kind = "trainedAlgorithmicMedia" if is_learned(studio, recipe) else "algorithmicMedia"
            action["softwareAgent"] = {"name": recipe.engine, "version": recipe.engine_version}
            action["digitalSourceType"] = provenance.IPTC + kind
        else:
            kind = "digitalCreation" if i == 0 else "humanEdits"
            action["digitalSourceType"] = provenance.IPTC + kind
            params["org.duetto.person"] = person(v.author)
        if v is versions[-1] and parent_labels:
            params["ingredientIds"] = parent_labels
        action["parameters"] = params
        actions.append(action)
    return actions


def ingredients_of(studio: Studio, version: VersionRecord, credits: dict[str, list[ContributionRecord]],
                   ) -> list[provenance.Ingredient]:
    out: list[provenance.Ingredient] = []
    for pid in version.parents:
        p = studio.repo.version(pid)
        out.append(provenance.Ingredient(
            definition={"title": f"{p.short}.{p.ext}", "relationship": "parentOf", "label": f"parent-{p.short}",
                        "format": p.mime}, data=studio.blobs.read(p.sha256, p.ext), ext=p.ext))
    raw = studio.repo.recipe(version.id)
    inputs = Recipe.model_validate(raw).inputs if raw is not None else []
    for iid in [i for i in inputs if i not in version.parents]:
        v = studio.repo.version(iid)
        out.append(provenance.Ingredient(
            definition={"title": f"{v.short}.{v.ext}", "relationship": "inputTo", "label": f"input-{v.short}",
                        "format": v.mime}, data=studio.blobs.read(v.sha256, v.ext), ext=v.ext))
    seen: set[str] = set()
    for contribs in credits.values():  # a reference picture a work began from (new --image)
        for c in contribs:
            m = _REFERENCE_BLOB.search(c.detail) if c.kind == "reference image" else None
            if m is None or m.group(1) in seen:
                continue
            seen.add(m.group(1))
            found = sorted((studio.blobs.root / m.group(1)[:2]).glob(f"{m.group(1)}*.{m.group(2)}"))
            if found:
                out.append(provenance.Ingredient(
                    definition={"title": c.detail.split(" (blob")[0][:200], "relationship": "inputTo",
                                "label": f"reference-{m.group(1)[:10]}"}, data=found[0].read_bytes(), ext=m.group(2)))
    return out


def contribution_shares(studio: Studio, version: VersionRecord) -> list[dict[str, Any]]:
    """Each payee's share of the version (``duetto.studio.shares``), for the contributions assertion."""
    return [s.model_dump(mode="json") for s in shares_of(studio, version).shares]


def contributionsassertion(studio: Studio, versions: list[VersionRecord],
                            credits: dict[str, list[ContributionRecord]]) -> dict[str, Any]:
    people: dict[str, dict[str, int]] = {}
    engines: dict[tuple[str, str], dict[str, Any]] = {}
    for v in versions:
        for c in credits.get(v.id, []):
            if c.contributor_kind == "human":
                acts = people.setdefault(person(c.contributor), {})
                acts[c.kind] = acts.get(c.kind, 0) + 1
        raw = studio.repo.recipe(v.id)
        if raw is not None and v.author_kind == "ai":
            recipe = Recipe.model_validate(raw)
            e = engines.setdefault((recipe.engine, recipe.engine_version), {
                "name": recipe.engine, "version": recipe.engine_version, "learned": is_learned(studio, recipe),
                "operations": {}})
            e["operations"][v.operation] = e["operations"].get(v.operation, 0) + 1
    shares, source = contribution_shares(studio, versions[-1]), "duetto.studio.shares"
    return {"version": versions[-1].id, "work": versions[-1].work_id,
            "people": [{"name": n, "acts": acts} for n, acts in sorted(people.items())],
            "engines": list(engines.values()), "shares": shares, "shares_from": source}


def definition(studio: Studio, version: VersionRecord, req: PublishRequest, title: str, authors: list[str],
               ) -> tuple[dict[str, Any], list[provenance.Ingredient]]:
    versions = lineage(studio, version)
    credits = contributions_of(studio, versions)
    ingredients = ingredients_of(studio, version, credits)
    parents = [i.definition["label"] for i in ingredients if i.definition["relationship"] == "parentOf"]
    name, url = LICENCES[req.licence]
    work: dict[str, Any] = {"@context": "https://schema.org", "@type": "CreativeWork", "name": title,
                            "author": [{"@type": "Person", "name": a} for a in authors],
                            "identifier": version.id, "license": url or (req.licence_text or name),
                            "copyrightNotice": f"{name}{' — ' + req.licence_text if req.licence_text else ''}",
                            "usageInfo": req.licence}
    use = {"allowed": "allowed", "notAllowed": "notAllowed", "constrained": "constrained"}[req.training]
    assertions = [
        {"label": "c2pa.actions.v2", "data": {"actions": actions_of(studio, versions, credits, parents)}},
        {"label": CONTRIBUTIONS, "data": contributionsassertion(studio, versions, credits)},
        {"label": "stds.schema-org.CreativeWork", "data": work},
        {"label": "c2pa.training-mining", "data": {"entries": {
            k: {"use": use} for k in ("c2pa.ai_training", "c2pa.ai_generative_training", "c2pa.data_mining",
                                      "c2pa.ai_inference")}}},
    ]
    return {"claim_generator_info": [{"name": "duetto", "version": __version__}], "title": title,
            "assertions": assertions}, ingredients


# -- the acts ----------------------------------------------------------------------------------


def _step(on_version: OnVersion | None, fraction: float, what: str) -> None:
    step = getattr(on_version, "step", None)
    if step is not None:
        step(0, 1, fraction, what)


def files_to_sign(studio: Studio, version: VersionRecord, formats: list[str]) -> dict[str, bytes]:
    """The version's own files, and the renderings asked for (made by ``export``)."""
    from duetto.studio.operations import ExportRequest, export

    files = {ext: path.read_bytes() for ext, path in studio.files_of(version).items()}
    wanted = [f for f in formats if f not in files]
    if wanted:
        rendered = export(studio, ExportRequest(version=version.id, formats=wanted)).files
        files.update({f: rendered[f] for f in wanted if f in rendered})
    return files


def publish(studio: Studio, req: PublishRequest, on_version: OnVersion | None = None) -> Published:
    version = live(studio, req.version)
    store = Publications(studio.repo)
    if store.of_version(version.id) is not None:
        raise Conflict(f"version {version.short} is already published",
                       hint="a published version is immutable; publish a new version of it instead")
    _step(on_version, 0.02, "near duplicates")
    similar = likeness(studio, version)
    if similar.warnings and not req.allow_similar:
        raise NearDuplicate("; ".join(similar.warnings),
                            hint="publishing cannot be undone: check the match, then publish with allow_similar "
                                 "(--allow-similar) if it is meant")
    if req.watermark:
        watermark.require()  # before anything is signed
    _step(on_version, 0.05, "identity")
    identity = identity_of(studio)
    identity.ensure()
    chain, key, signer = identity.signing_material()
    _step(on_version, 0.15, "manifest")
    work = studio.repo.work(version.work_id)
    title = (req.title or "").strip() or work.title
    versions = lineage(studio, version)
    credits = contributions_of(studio, versions)
    authors = [a.strip() for a in req.authors if a.strip()] or sorted(
        {person(c.contributor) for cs in credits.values() for c in cs if c.contributor_kind == "human"})
    if not authors:
        raise InvalidInput("nobody is named as an author", hint="give authors")
    manifest, ingredients = definition(studio, version, req, title, authors)
    files = files_to_sign(studio, version, req.formats)
    published: list[PublishedFile] = []
    paths: dict[str, str] = {}
    for i, (ext, data) in enumerate(files.items()):
        _step(on_version, 0.2 + 0.7 * i / len(files), f"signing {ext}")
        fmt = ext.rsplit(".", 1)[-1]
        own = hashlib.sha256(data).hexdigest()
        if req.watermark and ext == version.ext and fmt in ("png", "jpg", "jpeg", "webp"):
            data = watermark.embed(data, fmt, watermark.payload_of(version.id))
        signed = provenance.sign({**manifest, "title": f"{title}.{fmt}"}, data, fmt, chain=chain, key=key,
                                 ingredients=ingredients, thumbnail=req.thumbnail)
        sha, path = studio.blobs.put(signed.data, ext)
        paths[ext] = str(path)
        side = None
        if signed.sidecar is not None:
            side, spath = studio.blobs.put(signed.sidecar, f"{ext}.{provenance.SIDECAR_EXT}")
            paths[f"{ext}.{provenance.SIDECAR_EXT}"] = str(spath)
        mime = version.mime if ext == version.ext else provenance.EMBEDDED.get(fmt, "application/octet-stream")
        published.append(PublishedFile(ext=ext, sha256=own, signed_sha256=sha,
                                       sidecar_sha256=side, mime=mime))
    _step(on_version, 0.95, "storing")
    record = store.add(version_id=version.id, user_id=studio.user_id, title=title, authors=authors,
                       licence=req.licence, licence_text=req.licence_text, training=req.training, files=published,
                       manifest=manifest, signer_serial=signer.serial)
    register(studio, record.id, version, files, published)
    _step(on_version, 1.0, "published")
    return Published(publication=record, version=version, signer=signer, files=paths, likeness=similar)


def _short_type(url: str | None) -> str | None:
    return url.rsplit("/", 1)[-1] if url else None


def assertion(manifest: dict[str, Any], label: str) -> dict[str, Any] | None:
    """The data of a manifest's assertion by its label, as c2pa's reader gives the manifest."""
    for a in manifest.get("assertions", []):
        if a.get("label") == label:
            return a.get("data")  # type: ignore[no-any-return]
    return None


def actions_seen(manifest: dict[str, Any]) -> list[ActionSeen]:
    """Who did what, from a manifest's actions (v2, else v1), oldest first: what ``verify`` and
    the public page both show."""
    out = []
    for a in (assertion(manifest, "c2pa.actions.v2") or assertion(manifest, "c2pa.actions") or {}).get("actions", []):
        agent = a.get("softwareAgent") or {}
        params = a.get("parameters") or {}
        who = f"{agent.get('name')} {agent.get('version', '')}".strip() if agent else \
            (params.get("org.duetto.person") or "a person")
        out.append(ActionSeen(action=a.get("action", ""), by=str(who), source_type=_short_type(a.get("digitalSourceType")),
                              operation=params.get("org.duetto.operation"), when=a.get("when"),
                              description=params.get("description")))
    return out


def verdict_of(studio: Studio, reading: provenance.Reading, file: str, sidecar: str | None,
               data: bytes) -> Verdict:
    status: str = reading.state
    m = reading.manifest or {}
    info = m.get("signature_info") or {}
    identity = identity_of(studio)
    signer = None
    if info:
        serial = info.get("cert_serial_number")
        revoked = identity.revoked(serial) if serial else None
        signer = SignerSeen(common_name=info.get("common_name"), issuer=info.get("issuer"), serial=serial,
                            ours=bool(serial) and identity.knows(serial),
                            revoked_reason=(revoked.revoked_reason or "revoked") if revoked else None)
        if revoked is not None and status in ("trusted", "untrusted"):
            status = "revoked"
    actions = actions_seen(m)
    work = assertion(m, "stds.schema-org.CreativeWork")
    training = assertion(m, "c2pa.training-mining")
    sha = hashlib.sha256(data).hexdigest()
    publication = Publications(studio.repo).by_signed_sha256(sha)
    match = find(studio, data, file, sha) if publication is None else None
    if status == "no_manifest" and (publication is not None or match is not None):
        status = "registered"
    generator = (m.get("claim_generator_info") or [{}])[0]
    by = ", ".join(sorted({x.by for x in actions}))
    summary = {
        "trusted": f"signed by {info.get('common_name')} (trusted here); made by {by}",
        "untrusted": f"validly signed by {info.get('common_name')}, a signer this studio does not trust",
        "revoked": f"signed by {info.get('common_name')}, whose certificate is revoked",
        "invalid": "the file or its manifest was changed after signing, or the signature is broken",
        "no_manifest": reading.note or "no C2PA manifest",
        "registered": _registered(publication, match) if status == "registered" else "",
    }[status]
    return Verdict(
        status=status, exit_code=EXIT_CODES[status], summary=summary, file=file, sidecar=sidecar,  # type: ignore[arg-type]
        embedded=reading.embedded and status != "no_manifest", title=m.get("title"),
        claim_generator=f"{generator.get('name', '')} {generator.get('version', '')}".strip() or None,
        signer=signer, actions=actions,
        ingredients=[{"title": str(i.get("title", "")), "relationship": str(i.get("relationship", ""))}
                     for i in m.get("ingredients", [])],
        contributions=assertion(m, CONTRIBUTIONS), licence=work, training=training, failures=reading.failures,
        publication=publication, registry_match=match)


def _registered(publication: PublicationRecord | None, match: RegistryMatch | None) -> str:
    if publication is not None:
        return f"no manifest, but these are the bytes of “{publication.title}”, published here as version " \
               f"{publication.version_id[:10]}: give its .c2pa sidecar to check who did what"
    assert match is not None
    how = "the same bytes" if match.how == "sha256" else f"its likeness ({match.how}, distance {match.distance:.3f})"
    return f"no manifest (stripped or re-encoded?), but it is “{match.title}”, published here as version " \
           f"{match.version[:10]}, found by {how}"


def verify(studio: Studio, req: VerifyRequest, on_version: OnVersion | None = None) -> Verdict:
    reading = provenance.read(req.file.data, sidecar=req.sidecar.data if req.sidecar else None,
                              anchors=anchors_of(studio))
    return verdict_of(studio, reading, req.file.name, req.sidecar.name if req.sidecar else None, req.file.data)
