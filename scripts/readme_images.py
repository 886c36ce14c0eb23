"""Regenerate the README pictures from a real run of the demo (python scripts/readme_images.py).

Nothing here is drawn by hand: it runs ``duetto demo`` in a temp studio and copies its contact
sheet, plus one sheet that walks the loop (draft → revisions → variation → blend → breed).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from duetto.demo import run_demo
from duetto.settings import Settings
from duetto.studio import Studio
from duetto.studio.sheet import contact_sheet

DOCS = Path(__file__).resolve().parent.parent / "docs" / "img"


def shrink(src: Path, dst: Path, width: int = 1100) -> None:
    with Image.open(src) as im:
        im = im.convert("RGB")
        if im.width > width:
            im = im.resize((width, round(im.height * width / im.width)), Image.Resampling.LANCZOS)
        im.save(dst, optimize=True)


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Settings(home=Path(tmp) / "studio", user="artist"))
        report = run_demo(studio)
        first = report["steps"][0]
        shrink(Path(first["contact_sheet"]), DOCS / "demo-new.png")
        steps = report["steps"][1:6]  # revise, revise, vary, blend, breed (the painting loop)
        by_step = [studio.version(vid) for step in steps for vid in step["versions"][:2]]
        work = studio.repo.work(report["work"])
        loop = contact_sheet(studio, work, by_step[:8], "revise · revise · vary · blend · breed")
        shrink(loop, DOCS / "demo-loop.png")
        studio.close()
    print(f"wrote {DOCS / 'demo-new.png'} and {DOCS / 'demo-loop.png'}")


if __name__ == "__main__":
    main()
