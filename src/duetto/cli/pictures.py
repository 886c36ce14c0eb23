"""Pictures: palettes and recolouring, restyle, animate, diffuse, the style list, layouts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from duetto.cli.base import (
    AsJson,
    Home,
    Ref,
    Seed,
    act,
    app,
    command,
    envelope,
    floats,
    out,
)
from duetto.cli.render import emit_result


@app.command()
def palette(
    source: Annotated[str, typer.Argument(help="A colour (#d4a017, 金色, gold), a mood (平静, calm), an image or a version.")],
    harmony: Annotated[str | None, typer.Option("--harmony", help="complementary, analogous, triadic, "
                                                                  "split-complementary, tetradic, monochrome.")] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=16, help="Colours to extract from a picture.")] = 6,
    n: Annotated[int, typer.Option("--n", min=1, max=12, help="Colours per harmony.")] = 5,
    text_colour: Annotated[str | None, typer.Option("--text-colour", help="WCAG check of this text colour.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Text area x0,y0,x1,y1 (fractions).")] = None,
    out_png: Annotated[Path | None, typer.Option("--out", help="Write a swatch sheet PNG here.")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Harmonies from a colour or mood, or the colours of a picture; swatches, names, contrast."""
    from duetto.design.swatches import table
    from duetto.studio import design

    with command(home, as_json, create=True) as ctx:
        box = floats(region, 4, "--region") if region else (0.0, 0.0, 1.0, 1.0)
        image = Path(source).expanduser() if design.names_a_file(source) else None
        version = source if image is None and design.names_a_version(ctx.studio, source) else None
        res = act(ctx, "palette", source="" if image or version else source, version=version, image=image,
                  harmony=harmony, k=k, n=n, text_colour=text_colour, region=box)
        payload = res.model_dump(mode="json")
        if out_png is not None:
            out_png.parent.mkdir(parents=True, exist_ok=True)
            design.sheet_of(res, harmony).save(out_png, format="PNG")
            payload["image"] = str(out_png)

        def human() -> None:
            out.print(f"[bold]{escape(res.source)}[/] · {res.kind}")
            out.print(table([(r.label, r.swatches) for r in res.rows]))
            if res.text_on_image:
                t = res.text_on_image
                out.print(f"text {t.text} on the picture: {t.p05.ratio}:1 for 95% of it → {t.p05.level} "
                          f"(worst {t.worst}:1, mean colour {t.mean}:1)" + (f"; {t.better} reads better" if t.better else ""))
            elif res.text_on_swatches:
                out.print(f"text {text_colour} on: " + ", ".join(f"{c.hex} {c.ratio}:1 {c.level}" for c in res.text_on_swatches))
            if out_png is not None:
                out.print(f"swatches: {out_png}")

        ctx.emit(payload, human)


@app.command()
def recolour(
    version: Ref,
    palette_: Annotated[str | None, typer.Option("--palette", help='Colours, e.g. "#aabbcc,#112233" or "金色,墨色".')] = None,
    harmony: Annotated[str | None, typer.Option("--harmony", help="Palette as this harmony of --base.")] = None,
    base: Annotated[str | None, typer.Option("--base", help="Base colour or mood (default: the picture's main colour).")] = None,
    strength: Annotated[float, typer.Option("--strength", min=0.0, max=1.0)] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="0: lightness match; others swap colours of close value.")] = 0,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Repaint a picture version in a palette (light and dark kept), as a child version."""
    with command(home, as_json) as ctx:
        colours = [c.strip() for c in (palette_ or "").split(",") if c.strip()]
        emit_result(ctx, act(ctx, "recolour", what="recolouring", version=version, palette=colours, harmony=harmony,
                             base=base, strength=strength, seed=seed))


@app.command()
def restyle(
    source: Annotated[str, typer.Argument(help="A version id, or an image file (imported first as your picture).")],
    style: Annotated[str | None, typer.Option("--style", "-s", help="starry_night | 19 | starry_night:0.6,mosaic:0.4 | "
                                                                    "path/to/painting.jpg (palette: colour words).")] = None,
    strength: Annotated[float | None, typer.Option("--strength", help="0 keeps the picture .. 1 fully restyled [0.8].")] = None,
    method: Annotated[str, typer.Option("--method", help="neural | colour | histogram | palette")] = "neural",
    keep_colours: Annotated[bool, typer.Option("--keep-colours", help="The style's brushwork, your colours.")] = False,
    size: Annotated[int | None, typer.Option("--size", help="Long side of the result, 64..2048 [source's].")] = None,
    variants: Annotated[int, typer.Option("--variants", "-n", help="Bracket stroke scale (or strength).")] = 1,
    seed: Seed = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Restyle a picture after a built-in style, a blend, any painting, or its colours (no model)."""
    from duetto.studio.restyle import looks_like_path

    image = Path(source) if looks_like_path(source) else None
    with command(home, as_json, create=image is not None) as ctx:  # a photo starts a new work
        painting = Path(style) if style and method != "palette" and looks_like_path(style) else None
        emit_result(ctx, act(ctx, "restyle", total=variants, what="restyling", source=None if image else source,
                             image=image, style=None if painting else style, style_image=painting, strength=strength,
                             method=method, keep_colours=keep_colours, size=size, variants=variants, seed=seed))


@app.command()
def animate(
    version: Annotated[str, typer.Argument(help="A painter version to film as it is being painted.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="gif | webp | mp4 (mp4: pip install 'duetto[mp4]').")] = "gif",
    seconds: Annotated[float, typer.Option("--seconds", help="Length, up to 20.")] = 4.0,
    fps: Annotated[int, typer.Option("--fps", help="Frames per second, 1..30.")] = 12,
    size: Annotated[int | None, typer.Option("--size", help="Long side, 64..2048 [the painting's].")] = None,
    lossless: Annotated[bool, typer.Option("--lossless", help="WebP: the last frame is the still exactly.")] = False,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Film a painting being made (strokes accumulating, layers washed in) as a child version."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "animate", what="animating", version=version, format=fmt, seconds=seconds,
                             fps=fps, size=size, lossless=lossless))


@app.command()
def diffuse(
    source: Annotated[str, typer.Argument(help="The version to start from (a painter picture is the usual start).")],
    model: Annotated[str, typer.Option("--model", help="A diffusers model folder on disk, or a registered name.")],
    mode: Annotated[str, typer.Option("--mode", help="img2img | inpaint")] = "img2img",
    prompt: Annotated[str | None, typer.Option("--prompt", help="Default: built from the version's spec.")] = None,
    negative: Annotated[str | None, typer.Option("--negative", help="Negative prompt.")] = None,
    scheduler: Annotated[str, typer.Option("--scheduler", help="default, euler, euler_a, ddim, dpm++, lcm, …")] = "default",
    steps: Annotated[int | None, typer.Option("--steps", help="Denoising steps [25; 4 for LCM].")] = None,
    guidance: Annotated[float | None, typer.Option("--guidance", help="Classifier-free guidance scale.")] = None,
    strength: Annotated[float | None, typer.Option("--strength", help="How far from the source, 0..1 [0.6; inpaint 1].")] = None,
    rect: Annotated[str | None, typer.Option("--rect", help="Inpaint x,y,w,h (fractions 0..1).")] = None,
    ellipse: Annotated[str | None, typer.Option("--ellipse", help="Inpaint cx,cy,rx,ry (fractions 0..1).")] = None,
    mask: Annotated[Path | None, typer.Option("--mask", help="Inpaint where this picture is white.")] = None,
    variants: Annotated[int, typer.Option("--variants", "-n", min=1, max=16)] = 1,
    seed: Seed = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Redraw a version with a diffusion model on disk (img2img), or only a region of it (inpaint)."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(
            ctx, "diffuse", total=variants, what=mode, source=source, model=model, mode=mode, prompt=prompt,
            negative_prompt=negative, scheduler=scheduler, steps=steps, guidance=guidance, strength=strength,
            rect=floats(rect, 4, "--rect") if rect else None, ellipse=floats(ellipse, 4, "--ellipse") if ellipse else None,
            mask=mask, variants=variants, seed=seed))


@app.command()
def styles(
    sheet: Annotated[Path | None, typer.Option("--sheet", help="Also draw every style on --image into this PNG.")] = None,
    image: Annotated[Path | None, typer.Option("--image", help="The picture for the sheet [a painter seed].")] = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """The 26 built-in styles of `duetto restyle`, by index and name (``--home`` is unused)."""
    from duetto.media.image.stylist.sheet import swatch_sheet
    from duetto.media.image.stylist.styles import STYLES

    with envelope(as_json) as env:
        rows = [{"index": s.index, "name": s.name, "zh": s.zh, "look": s.look} for s in STYLES]
        if sheet is not None:
            try:
                swatch_sheet(image).save(sheet)
            except OSError as exc:
                from duetto.errors import InvalidInput

                raise InvalidInput(f"cannot write {sheet}: {exc.strerror or exc}") from None

        def human() -> None:
            table = Table("#", "name", "中文", "looks like", box=None, pad_edge=False)
            for r in rows:
                table.add_row(str(r["index"]), str(r["name"]), str(r["zh"]), str(r["look"]))
            out.print(table)
            if sheet is not None:
                out.print(f"sheet: {sheet}")

        env.emit({"styles": rows, "sheet": str(sheet) if sheet else None}, human)


@app.command()
def layout(
    image: Annotated[str, typer.Argument(help="The picture: a painting version id (prefix).")],
    poem: Annotated[str | None, typer.Option("--poem", help="A poem (text version) to set on the page.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="poster (A3) | cover (6×9 in) | card (1200×630) | square.")] = "poster",
    title: Annotated[str, typer.Option("--title", "-t")] = "",
    subtitle: Annotated[str, typer.Option("--subtitle", help="Subtitle or author line.")] = "",
    text: Annotated[str, typer.Option("--text", help="Body text.")] = "",
    vertical: Annotated[bool | None, typer.Option("--vertical/--horizontal", help="竖排 for a Chinese poem [auto].")] = None,
    variants: Annotated[int, typer.Option("--variants", "-n", help="Placements to try.")] = 1,
    seed: Seed = None,
    home: Home = None,
    as_json: AsJson = False,
) -> None:
    """Compose a poster, book cover or social card from a picture and words (PNG + PDF)."""
    with command(home, as_json) as ctx:
        emit_result(ctx, act(ctx, "layout", total=variants, what="laying out", image=image, poem=poem, format=fmt,
                             title=title, subtitle=subtitle, text=text, vertical=vertical, variants=variants, seed=seed))
