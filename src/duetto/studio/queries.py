"""Read-only views of a work: its tree, one version, differences, and who did what."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel

from duetto.spec import spec_diff
from duetto.store.records import VersionRecord, WorkRecord
from duetto.studio.studio import Studio


class Tree(BaseModel):
    work: WorkRecord
    versions: list[VersionRecord]

    def children(self) -> dict[str, list[str]]:
        kids: dict[str, list[str]] = {v.id: [] for v in self.versions}
        for v in self.versions:
            for p in v.parents:
                kids.setdefault(p, []).append(v.id)
        return kids

    def roots(self) -> list[VersionRecord]:
        return [v for v in self.versions if not v.parents]


def tree(studio: Studio, ref: str | WorkRecord) -> Tree:
    """The whole history of a work. A caller that has already resolved (and access-checked) the
    work passes its record, so the lookup is not done twice."""
    work = ref if isinstance(ref, WorkRecord) else studio.work(ref)
    return Tree(work=work, versions=studio.repo.versions_of(work.id))


class Diff(BaseModel):
    a: VersionRecord
    b: VersionRecord
    spec: dict[str, tuple[Any, Any]]
    relation: str  # "a is an ancestor of b", "b is an ancestor of a", "siblings"...


def diff(studio: Studio, ref_a: str, ref_b: str) -> Diff:
    a, b = studio.version(ref_a), studio.version(ref_b)
    if a.id in studio.repo.ancestors(b.id):
        relation = f"{a.short} is an ancestor of {b.short}"
    elif b.id in studio.repo.ancestors(a.id):
        relation = f"{b.short} is an ancestor of {a.short}"
    elif a.work_id != b.work_id:
        relation = "different works"
    elif set(a.parents) & set(b.parents):
        relation = "siblings"
    else:
        relation = "same work, different branches"
    return Diff(a=a, b=b, spec=spec_diff(a.spec, b.spec), relation=relation)


class VersionCredit(BaseModel):
    version: str
    operation: str
    author: str
    human: list[str]  # "feedback: 更温暖一些"
    ai: list[str]


class Credits(BaseModel):
    work: WorkRecord
    versions: list[VersionCredit]
    human_operations: dict[str, int]
    ai_operations: dict[str, int]
    people: list[str]
    engines: list[str]

    @property
    def human_share(self) -> float:
        """Share of recorded contributions made by people (every act counts once)."""
        h, a = sum(self.human_operations.values()), sum(self.ai_operations.values())
        return h / (h + a) if h + a else 0.0


def credits(studio: Studio, ref: str) -> Credits:
    work = studio.work(ref)
    rows: list[VersionCredit] = []
    human, ai = Counter(), Counter()
    people, engines = set(), set()
    for version, contribs in studio.repo.contributions(work.id):
        h = [f"{c.kind}: {c.detail}" for c in contribs if c.contributor_kind == "human"]
        a = [f"{c.kind} by {c.contributor}" for c in contribs if c.contributor_kind == "ai"]
        for c in contribs:
            (human if c.contributor_kind == "human" else ai)[c.kind] += 1
            (people if c.contributor_kind == "human" else engines).add(c.contributor)
        rows.append(VersionCredit(version=version.id, operation=version.operation,
                                  author=version.author, human=h, ai=a))
    return Credits(work=work, versions=rows, human_operations=dict(human), ai_operations=dict(ai),
                   people=sorted(people), engines=sorted(engines))
