"""Stories and screenplays as PDF, Chinese included.

Built on fpdf2 (pure Python, LGPL-3.0, used unmodified as a library) because it embeds subsets
of OpenType/CFF fonts, which the Noto CJK collection is; ReportLab's TTF support cannot read
CFF outlines. Fonts come from Debian's ``fonts-noto-cjk`` (installed by scripts/system-deps.sh):

- prose: Noto Sans CJK SC (face 2 of the collection), Bold for headings when present;
- screenplays: Noto Sans Mono CJK SC (face 7), whose Latin is fixed-pitch like Courier, in the
  conventional layout: US Letter, 12 pt, 1.5" left and 1" other margins, character cues at 3.7",
  parentheticals at 3.1", dialogue at 2.5" from the page edge, transitions flush right, page
  numbers top right from page 2, a title page of its own.

The bytes are reproducible: the creation date is pinned, so the same text gives the same PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from duetto.errors import Unavailable
from duetto.media.text.fountain import parse_fountain

CJK_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR = CJK_DIR / "NotoSansCJK-Regular.ttc"
BOLD = CJK_DIR / "NotoSansCJK-Bold.ttc"
SANS_SC, MONO_SC = 2, 7  # faces in the Noto CJK collections
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
INCH = 72.0
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


class ExportUnavailable(Unavailable):
    code = "export_unavailable"


def _fpdf() -> Any:
    try:
        import fpdf
    except ImportError:
        raise ExportUnavailable("PDF export needs fpdf2, which is not installed",
                                hint="pip install 'fpdf2>=2.8'") from None
    return fpdf


def _new_pdf(font_face: int, family: str, *, numbered: bool = False) -> Any:
    """A US Letter PDF in points with the CJK family loaded; ``numbered``: screenplay page
    numbers ("2.") top right, counting from the first script page after the title page."""
    fpdf = _fpdf()

    class Pages(fpdf.FPDF):  # type: ignore[misc, name-defined]
        def header(self) -> None:
            if numbered and self.page_no() > 2:
                self.set_font(family, "", FONT_SIZE)
                self.set_xy(self.w - 2 * INCH, 0.5 * INCH)
                self.cell(INCH, LINE, f"{self.page_no() - 1}.", align="R")
                self.set_xy(self.l_margin, self.t_margin)

    if not REGULAR.is_file():
        raise ExportUnavailable(
            f"PDF export needs the Noto CJK fonts; {REGULAR} is missing",
            hint="run scripts/system-deps.sh (apt-get install fonts-noto-cjk)",
        )
    pdf = Pages(unit="pt", format="letter")
    pdf.c_margin = 0  # text starts exactly at the layout's indents
    pdf.set_creation_date(EPOCH)
    pdf.set_creator("duetto")
    pdf.add_font(family, "", str(REGULAR), collection_font_number=font_face)
    pdf.add_font(family, "B", str(BOLD if BOLD.is_file() else REGULAR), collection_font_number=font_face)
    return pdf


def _wrap(text: str) -> Any:
    """Break CJK text anywhere, Latin text at spaces."""
    fpdf = _fpdf()
    return fpdf.enums.WrapMode.CHAR if CJK.search(text) else fpdf.enums.WrapMode.WORD


def _plain(text: str) -> str:
    """Markdown emphasis removed: the PDF sets emphasis with fonts, not asterisks."""
    return re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", text).replace("\\", "").strip()


def markdown_to_pdf(markdown: str) -> bytes:
    """A story (or any simple Markdown: # headings, paragraphs, *italic* lines, > quotes) as PDF."""
    pdf = _new_pdf(SANS_SC, "sans")
    pdf.set_margins(INCH, INCH, INCH)
    pdf.set_auto_page_break(True, margin=INCH)
    title = next((ln[2:].strip() for ln in markdown.splitlines() if ln.startswith("# ")), "")
    pdf.set_title(_plain(title) or "duetto")
    pdf.add_page()
    blocks = [b.strip() for b in re.split(r"\n\s*\n", markdown) if b.strip()]
    width = pdf.w - 2 * INCH
    for block in blocks:
        if block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            text = _plain(block.lstrip("#"))
            size = {1: 22, 2: 15}.get(level, 13)
            pdf.ln(10 if level > 1 else 0)
            pdf.set_font("sans", "B", size)
            pdf.multi_cell(width, size * 1.4, text, align="C" if level == 1 else "L", wrapmode=_wrap(text),
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
        elif block.startswith("*") and block.endswith("*") and "\n" not in block:
            text = _plain(block)
            pdf.set_font("sans", "", 11)
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(width, 16, text, align="C", wrapmode=_wrap(text), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            pdf.ln(10)
        else:
            quote = all(ln.startswith(">") for ln in block.splitlines())
            text = _plain(" ".join(ln.lstrip("> ").rstrip() for ln in block.splitlines()) if not CJK.search(block)
                          else "".join(ln.lstrip("> ").strip() for ln in block.splitlines()))
            pdf.set_font("sans", "", 11.5)
            indent = 24 if quote else 0
            pdf.set_x(INCH + indent)
            pdf.multi_cell(width - indent, 18, text, align="L" if CJK.search(text) else "J",
                           wrapmode=_wrap(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(7)
    return bytes(pdf.output())


def table_pdf(title: str, lines: Sequence[str], header: Sequence[str], rows: Sequence[Sequence[str]],
              notes: Sequence[str] = ()) -> bytes:
    """A one-table document (a revenue statement, a registry listing): a title, lines about it,
    the table with its header, notes under it; CJK names set in the same Noto face as stories."""
    pdf = _new_pdf(SANS_SC, "sans")
    pdf.c_margin = 3  # table cells need their padding back
    pdf.set_margins(INCH, INCH, INCH)
    pdf.set_auto_page_break(True, margin=INCH)
    pdf.set_title(title)
    pdf.add_page()
    width = pdf.w - 2 * INCH
    pdf.set_font("sans", "B", 18)
    pdf.multi_cell(width, 26, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("sans", "", 10.5)
    for line in lines:
        pdf.multi_cell(width, 15, line, wrapmode=_wrap(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    with pdf.table(text_align="LEFT", line_height=16, first_row_as_headings=True) as table:
        for cells in [header, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(10)
    pdf.set_font("sans", "", 9)
    pdf.set_text_color(90, 90, 90)
    for note in notes:
        pdf.multi_cell(width, 13, note, wrapmode=_wrap(note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def document(title: str, blocks: Sequence[tuple[str, Any]], thumb_size: float = 96) -> bytes:
    """A plain report (a registration dossier): blocks of ``("h1" | "h2" | "p" | "mono", text)``
    and ``("step", (text, image bytes or None))``, a thumbnail (JPEG or PNG) left of its text."""
    pdf = _new_pdf(SANS_SC, "sans")
    pdf.set_margins(INCH, INCH, INCH)
    pdf.set_auto_page_break(True, margin=INCH)
    pdf.set_title(title)
    pdf.add_page()
    width = pdf.w - 2 * INCH
    for kind, body in blocks:
        if kind in ("h1", "h2"):
            size = 18 if kind == "h1" else 13
            pdf.ln(0 if kind == "h1" else 8)
            pdf.set_font("sans", "B", size)
            pdf.multi_cell(width, size * 1.4, body, wrapmode=_wrap(body), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif kind == "step":
            text, thumb = body
            if pdf.get_y() + thumb_size > pdf.h - INCH:
                pdf.add_page()
            top = pdf.get_y()
            indent = 0.0
            if thumb:
                pdf.image(io.BytesIO(thumb), x=INCH, y=top, w=thumb_size)
                indent = thumb_size + 10
            pdf.set_xy(INCH + indent, top)
            pdf.set_font("sans", "", 9.5)
            pdf.multi_cell(width - indent, 13, text, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(max(pdf.get_y(), top + (thumb_size if thumb else 0)) + 8)
        else:
            pdf.set_font("sans", "", 8.5 if kind == "mono" else 10.5)
            pdf.multi_cell(width, 12 if kind == "mono" else 15, body, wrapmode="CHAR" if kind == "mono" else _wrap(body),
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


# Screenplay layout, as distances from the left edge of a US Letter page (inches).
LEFT, ACTION_WIDTH = 1.5, 6.0
CUE_AT, PAREN_AT, PAREN_WIDTH, DIALOGUE_AT, DIALOGUE_WIDTH = 3.7, 3.1, 2.0, 2.5, 3.5
FONT_SIZE, LINE = 12, 12.0  # 6 lines per inch, as on a typewriter


def fountain_to_pdf(text: str) -> bytes:
    """A Fountain screenplay as PDF: title page, then the script in the conventional layout."""
    play = parse_fountain(text)
    pdf = _new_pdf(MONO_SC, "mono", numbered=True)
    pdf.set_margins(LEFT * INCH, INCH, INCH)
    pdf.set_auto_page_break(True, margin=INCH)
    pdf.set_title(play.title or "duetto")

    pdf.add_page()
    pdf.set_font("mono", "B", FONT_SIZE)
    pdf.set_y(3.5 * INCH)
    title = (play.title or "UNTITLED").upper() if not CJK.search(play.title) else play.title
    pdf.multi_cell(0, LINE * 1.5, title, align="C", wrapmode=_wrap(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("mono", "", FONT_SIZE)
    pdf.ln(LINE)
    for key in ("credit", "author", "source"):
        if play.title_page.get(key):
            pdf.multi_cell(0, LINE * 1.5, play.title_page[key], align="C", new_x="LMARGIN", new_y="NEXT")
    if play.title_page.get("notes"):
        pdf.set_y(7.5 * INCH)
        notes = play.title_page["notes"]
        pdf.multi_cell(0, LINE, notes, align="L", wrapmode=_wrap(notes), new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    pdf.set_font("mono", "", FONT_SIZE)
    previous = None
    for e in play.elements:
        blank = e.kind in ("heading", "action", "character", "transition") and previous is not None
        if e.kind == "heading" and previous is not None:
            pdf.ln(LINE)  # headings get two blank lines before them
        if blank:
            pdf.ln(LINE)
        if pdf.get_y() > pdf.h - INCH - 3 * LINE and e.kind in ("heading", "character"):
            pdf.add_page()  # never strand a heading or a cue at the foot of a page
        if e.kind == "heading":
            pdf.set_font("mono", "B", FONT_SIZE)
            _block(pdf, e.text.upper() if not CJK.search(e.text) else e.text, LEFT, ACTION_WIDTH)
            pdf.set_font("mono", "", FONT_SIZE)
        elif e.kind == "action":
            _block(pdf, e.text, LEFT, ACTION_WIDTH)
        elif e.kind == "character":
            _block(pdf, e.text.upper() if not CJK.search(e.text) else e.text, CUE_AT, 8.5 - 1 - CUE_AT)
        elif e.kind == "parenthetical":
            _block(pdf, e.text, PAREN_AT, PAREN_WIDTH)
        elif e.kind == "dialogue":
            _block(pdf, e.text, DIALOGUE_AT, DIALOGUE_WIDTH)
        else:
            _block(pdf, e.text.upper() if not CJK.search(e.text) else e.text, LEFT, ACTION_WIDTH, align="R")
        previous = e.kind
    return bytes(pdf.output())


def _block(pdf: Any, text: str, at: float, width: float, align: str = "L") -> None:
    pdf.set_x(at * INCH)
    pdf.multi_cell(width * INCH, LINE, text, align=align, wrapmode=_wrap(text), new_x="LMARGIN", new_y="NEXT")



TEXT_FORMATS = ("pdf", "md", "txt", "fountain")


def convert(text: str, ext: str, fmt: str, title: str = "") -> bytes:
    """A text work (``ext``: txt poem, md story, fountain script) in another format.

    Only conversions that keep the work intact exist: a story has no screenplay form, so asking
    for one is an error rather than a guess."""
    from duetto.errors import InvalidInput
    from duetto.media.text.fountain import fountain_to_markdown

    if fmt not in TEXT_FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r}", hint=f"choose from {', '.join(TEXT_FORMATS)}")
    if fmt == ext or (fmt == "txt" and ext != "fountain"):
        return text.encode("utf-8")
    if ext == "fountain":
        markdown = fountain_to_markdown(text)
        if fmt == "pdf":
            return fountain_to_pdf(text)
        return markdown.encode("utf-8") if fmt == "md" else _plain_lines(markdown).encode("utf-8")
    if fmt == "fountain":
        raise InvalidInput("only scripts export as Fountain", hint="a story or poem exports as md, txt or pdf")
    markdown = text if ext == "md" else poem_markdown(text, title)
    return markdown_to_pdf(markdown) if fmt == "pdf" else markdown.encode("utf-8")


def poem_markdown(text: str, title: str = "") -> str:
    """A poem as Markdown: its title, then one paragraph per line, so that line breaks survive."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    head = [f"# {title.strip()}", ""] if title.strip() else []
    return "\n".join(head + [ln + "\n" for ln in lines]).rstrip() + "\n"


def _plain_lines(markdown: str) -> str:
    return "\n".join(_plain(ln.lstrip("#> ")) for ln in markdown.splitlines()) + "\n"
