"""Fountain, the plain-text screenplay format: structure → text → structure.

``write_fountain`` turns scenes (a heading and its action, dialogue and transitions) into
Fountain text, escaping whatever a model could put in a field that Fountain would misread (an
action line in capitals, a line starting with ``INT.``, a Chinese name that needs ``@`` to be a
character cue). ``parse_fountain`` reads Fountain back into elements, ``scenes_of`` back into
scenes, and ``validate_fountain`` checks a script the way a screenplay app would. It knows
nothing of models, so the screenwriter, the script checks and the text analysis all read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from duetto.media.text.prose import Language

ElementKind = Literal["heading", "action", "character", "parenthetical", "dialogue", "transition"]
HEADING = re.compile(r"^(INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[. ]", re.I)
EXTENSION = re.compile(r"\s*(\([^)]*\))?\s*\^?$")


@dataclass(frozen=True)
class Element:
    kind: ElementKind
    text: str


@dataclass
class Scene:
    """One scene for the writer: a heading and its elements in order. ``dialogue`` elements are
    written as (character, parenthetical, line) triples by ``Scene.say``."""

    heading: str
    body: list[tuple[str, ...]] = field(default_factory=list)

    def act(self, text: str) -> Scene:
        if text.strip():
            self.body.append(("action", text))
        return self

    def say(self, character: str, line: str, parenthetical: str = "") -> Scene:
        if line.strip():
            self.body.append(("dialogue", character, parenthetical, line))
        return self

    def cut(self, transition: str) -> Scene:
        self.body.append(("transition", transition))
        return self


@dataclass
class Screenplay:
    title_page: dict[str, str]
    elements: list[Element]

    @property
    def title(self) -> str:
        return self.title_page.get("title", "")

    def of(self, kind: ElementKind) -> list[str]:
        return [e.text for e in self.elements if e.kind == kind]


@dataclass
class FountainReport:
    ok: bool
    issues: list[str]
    screenplay: Screenplay


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def is_caps(line: str) -> bool:
    """Fountain's test for a character cue: letters, none of them lower-case (extension allowed)."""
    name = EXTENSION.sub("", line)
    return bool(re.search(r"[A-Z]", name)) and name == name.upper()


def cue(name: str) -> str:
    """A character cue: upper-case Latin names as they are, anything else forced with ``@``."""
    name = one_line(re.sub(r"[()^@]", "", name))
    upper = name.upper()
    if re.fullmatch(r"[A-Z0-9 .'\-]+", upper) and re.search(r"[A-Z]", upper):
        return upper
    return "@" + name


def heading(place: str, location: str, time_of_day: str, language: Language) -> str:
    where = one_line(location).strip(" -.")
    where = where.upper() if language == "en" else where
    return f"{place}. {where} - {one_line(time_of_day)}"


def _action(text: str) -> str:
    """One action paragraph on one line, forced with ``!`` wherever Fountain would misread it."""
    line = one_line(text)
    if HEADING.match(line) or is_caps(line) or line[:1] in "!@#=.>~[" or line.endswith("TO:"):
        return "!" + line
    return line


def _parenthetical(text: str) -> str:
    inner = one_line(text).strip("()（） ")
    return f"({inner})" if inner else ""


def _dialogue(text: str) -> str:
    line = one_line(text)
    return line.lstrip("(（!@#=.>~") or "…"


def write_fountain(title: str, scenes: list[Scene], *, notes: str = "", language: Language = "en") -> str:
    """Fountain text for a title page and scenes; always parses back into the same structure."""
    out = [f"Title: {one_line(title)}", "Credit: Written with duetto", "Author: duetto"]
    if notes:
        out.append(f"Notes: {one_line(notes)}")
    out += ["", "FADE IN:" if language == "en" else "!淡入：", ""]
    for scene in scenes:
        out += scene_lines(scene)
    out += [FADE_OUT[language], ""]
    return "\n".join(out)


FADE_OUT = {"en": ">FADE OUT.", "zh": ">淡出。"}


def scene_lines(scene: Scene) -> list[str]:
    """One scene as Fountain lines (each element followed by its blank line)."""
    head = one_line(scene.heading)
    out = [head if HEADING.match(head) else "." + head, ""]
    for item in scene.body:
        if item[0] == "action":
            out += [_action(item[1]), ""]
        elif item[0] == "dialogue":
            _, name, paren, line = item
            out.append(cue(name))
            if _parenthetical(paren):
                out.append(_parenthetical(paren))
            out += [_dialogue(line), ""]
        else:
            text = one_line(item[1])
            natural = text == text.upper() and text.endswith("TO:") and is_caps(text)
            out += [text if natural else ">" + text, ""]
    return out


def append_scene(fountain: str, scene: Scene, language: Language) -> str:
    """``fountain`` with ``scene`` added at the end: before its closing FADE OUT when it has one,
    after a CUT TO: so the join reads like the scenes before it."""
    lines = fountain.rstrip("\n").split("\n")
    end = len(lines)
    if lines and lines[-1].strip() in (FADE_OUT["en"], FADE_OUT["zh"]):
        end = len(lines) - 1
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    cut = ["", "CUT TO:" if language == "en" else ">切至：", ""]
    if lines[end - 1].strip().lstrip(">") in ("CUT TO:", "切至："):
        cut = [""]
    body = lines[:end] + cut + scene_lines(scene)
    return "\n".join(body + lines[end:]).rstrip("\n") + "\n"


def parse_fountain(text: str) -> Screenplay:
    """The elements of a Fountain script (the subset screenplays use: title page, headings,
    action, character cues, parentheticals, dialogue, transitions; notes, sections, synopses and
    boneyard are skipped)."""
    text = re.sub(r"/\*.*?\*/", "", text.replace("\r\n", "\n"), flags=re.S)
    text = re.sub(r"\[\[.*?\]\]", "", text, flags=re.S)
    lines = text.split("\n")
    title_page: dict[str, str] = {}
    i = 0
    if lines and re.match(r"^[A-Za-z][A-Za-z ]*:", lines[0]):
        key = ""
        while i < len(lines) and lines[i].strip():
            m = re.match(r"^([A-Za-z][A-Za-z ]*):\s*(.*)$", lines[i])
            if m and not lines[i].startswith((" ", "\t")):
                key = m.group(1).strip().lower()
                title_page[key] = m.group(2).strip()
            elif key:
                title_page[key] = (title_page[key] + " " + lines[i].strip()).strip()
            i += 1
    elements: list[Element] = []
    before_blank = True
    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        after_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if not line:
            before_blank = True
            i += 1
            continue
        if line.startswith(("#", "=")) and not line.startswith("==="):
            pass  # sections and synopses
        elif line.startswith("!"):
            elements.append(Element("action", line[1:].strip()))
        elif line.startswith(".") and not line.startswith(".."):
            elements.append(Element("heading", line[1:].strip()))
        elif before_blank and HEADING.match(line):
            elements.append(Element("heading", line))
        elif line.startswith(">") and line.endswith("<"):
            elements.append(Element("action", line[1:-1].strip()))
        elif line.startswith(">"):
            elements.append(Element("transition", line[1:].strip()))
        elif before_blank and after_blank and is_caps(line) and line.endswith("TO:"):
            elements.append(Element("transition", line))
        elif before_blank and not after_blank and (line.startswith("@") or is_caps(line)):
            elements.append(Element("character", line.lstrip("@").strip()))
            i += 1
            while i < len(lines) and lines[i].strip():
                part = lines[i].strip()
                kind: ElementKind = "parenthetical" if part.startswith("(") and part.endswith(")") else "dialogue"
                elements.append(Element(kind, part))
                i += 1
            continue
        else:
            elements.append(Element("action", line))
        before_blank = False
        i += 1
    return Screenplay(title_page, elements)


def validate_fountain(text: str) -> FountainReport:
    """What a screenplay needs to read as one: a title, scene headings, every cue followed by
    dialogue, no dialogue before the first scene."""
    play = parse_fountain(text)
    issues: list[str] = []
    if not play.title:
        issues.append("no Title: on the title page")
    if not play.of("heading"):
        issues.append("no scene heading (INT./EXT.)")
    seen_heading = False
    for k, e in enumerate(play.elements):
        if e.kind == "heading":
            seen_heading = True
            if not e.text.strip():
                issues.append("empty scene heading")
        elif e.kind == "character":
            rest = play.elements[k + 1:k + 3]
            if not any(r.kind == "dialogue" for r in rest) or rest[0].kind not in ("dialogue", "parenthetical"):
                issues.append(f"character cue {e.text!r} has no dialogue")
            if not seen_heading:
                issues.append(f"dialogue by {e.text!r} before the first scene heading")
        elif e.kind == "dialogue" and not e.text.strip():
            issues.append("empty dialogue line")
    return FountainReport(not issues, issues, play)


def fountain_to_markdown(text: str) -> str:
    """A reading copy: headings as ### lines, cues in bold, parentheticals in italics."""
    play = parse_fountain(text)
    out = [f"# {play.title}", ""] if play.title else []
    if play.title_page.get("notes"):
        out += [f"*{play.title_page['notes']}*", ""]
    for k, e in enumerate(play.elements):
        nxt = play.elements[k + 1].kind if k + 1 < len(play.elements) else None
        if e.kind == "heading":
            out += [f"### {e.text}", ""]
        elif e.kind == "action":
            out += [e.text, ""]
        elif e.kind == "transition":
            out += [f"*{e.text}*", ""]
        elif e.kind == "character":
            out.append(f"**{e.text}**  ")
        elif e.kind == "parenthetical":
            out.append(f"*{e.text}*  ")
        else:
            out += [e.text, ""] if nxt not in ("dialogue", "parenthetical") else [e.text + "  "]
    return "\n".join(out).rstrip() + "\n"


def scenes_of(play: Screenplay) -> list[Scene]:
    """A parsed Fountain script as the writer's scenes (to check a script a person wrote)."""
    scenes: list[Scene] = []
    who = paren = ""
    for e in play.elements:
        if e.kind == "heading":
            scenes.append(Scene(e.text))
        elif not scenes:
            continue
        elif e.kind == "action":
            scenes[-1].act(e.text)
        elif e.kind == "transition":
            scenes[-1].cut(e.text)
        elif e.kind == "character":
            who, paren = re.sub(r"\s*\(.*\)$", "", e.text), ""
        elif e.kind == "parenthetical":
            paren = e.text
        elif e.kind == "dialogue":
            scenes[-1].say(who, e.text, paren)
            paren = ""
    return scenes
