"""``check``: a poem against its form — every position that breaks a rule, and which rule.

Classical forms (七绝, 如梦令 …) go to the regulated-verse validator, modern ones (haiku, sonnet,
limerick, free verse) to theirs. Either way the answer is one ``CheckResult`` whose issues name a
line and, where the rule is about one syllable, its position, so the page can mark the very
character and the CLI can print the line.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from duetto.errors import InvalidInput
from duetto.studio.generate import OnVersion
from duetto.studio.kernel import Request
from duetto.studio.studio import Studio

MAX_POEM_CHARS = 20_000


class CheckRequest(Request):
    version: str | None = Field(None, description="A poem version; or send text.")
    text: str | None = Field(None, max_length=MAX_POEM_CHARS, description="A poem's text, checked without storing.")
    form: str | None = Field(None, max_length=40, description="七绝, 如梦令, haiku, sonnet, 自由诗 … (default: the version's).")
    rhyme: Literal["pingshui", "xinyun"] = Field("pingshui", description="平水韵 (pingshui) or 中华新韵 (xinyun).")

    @model_validator(mode="after")
    def _one_poem(self) -> CheckRequest:
        if (self.version is None) == (self.text is None):
            raise ValueError("give the poem as a version or as text, one of the two")
        return self


class CheckLicence(BaseModel):
    """A departure the rhyme manuals accept (拗句, 拗救): the page marks it as allowed, not wrong."""

    line: int
    position: int
    kind: str
    message: str


class CheckIssue(BaseModel):
    message: str
    line: int | None = None  # 1-based
    position: int | None = None  # 1-based character (classical) within the line
    rule: str | None = None


class CheckResult(BaseModel):
    version: str | None
    title: str
    form: str
    ok: bool
    lines: list[str]
    issues: list[CheckIssue]
    notes: list[str] = Field(default_factory=list, description="Licences accepted (拗救 …) and other remarks.")
    licences: list[CheckLicence] = Field(default_factory=list)
    report: dict[str, Any] = Field(description="The validator's own full report.")


def check(studio: Studio, req: CheckRequest, on_version: OnVersion | None = None) -> CheckResult:
    from duetto.media.text.classical.validate import validate
    from duetto.media.text.verse import find_modern, report_for

    version = None
    if req.version is not None:
        version = studio.version(req.version)
        if not version.mime.startswith("text/"):
            raise InvalidInput(f"version {version.short} is a {version.mime} file, not a poem")
        text = studio.blobs.read(version.sha256, version.ext).decode("utf-8")
    else:
        text = req.text or ""
    if not text.strip():
        raise InvalidInput("the poem is empty")
    chosen = req.form or (version.spec.style if version else None)
    if not chosen:
        raise InvalidInput("which form? name one (see duetto forms)")
    modern = find_modern(chosen, version.spec if version else None)
    if modern is not None:  # haiku, limerick, sonnet, free verse
        found = report_for(text, modern, detect_language=version is None)
        data = found.model_dump(mode="json")
        issues = [CheckIssue(message=i.message, line=getattr(i, "line", None), rule=str(getattr(i, "rule", "")) or None)
                  for i in found.issues]
        return CheckResult(version=version.id if version else None, title=found.form, form=found.form, ok=found.ok,
                           lines=text.strip().splitlines(), issues=issues, report=data)
    report = validate(text, chosen, rhyme=req.rhyme)
    issues = [CheckIssue(message=i.message, line=i.line, position=i.position, rule=str(i.rule)) for i in report.issues]
    notes = [licence.message for licence in report.licences]
    return CheckResult(version=version.id if version else None,
                       title=f"{report.form_zh} ({report.variant}, {report.rhyme_group or '-'})", form=report.form,
                       ok=report.ok, lines=report.lines, issues=issues, notes=notes,
                       licences=[CheckLicence(line=x.line, position=x.position, kind=x.kind, message=x.message)
                                 for x in report.licences],
                       report=report.model_dump(mode="json"))
