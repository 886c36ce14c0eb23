"""The ``composer`` engine: a spec becomes a piece, and a stored piece takes edits.

It is pure like every engine: the same spec, params and seed give the same MIDI bytes, and
edits read only the parent bytes the studio hands over (replay hands the same ones). The MIDI
is the version's main file; MusicXML, audio, the score and the piano roll are its renderings.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from duetto.engine import Artefact, Edit, Progress
from duetto.errors import InvalidInput
from duetto.media.music import edits
from duetto.media.music.compose import compose, compose_song
from duetto.media.music.lyrics import Syllable, syllables
from duetto.media.music.melody import MelodyModel
from duetto.media.music.plan import resolve, resolve_with_notes
from duetto.media.music.score import Piece
from duetto.media.music.theory import key_name
from duetto.settings import Settings
from duetto.spec import CreativeSpec, MusicSpec


class ComposerParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audio: Literal["wav", "ogg", "none"] = Field(
        "wav", description="Audio kept with the version: WAV (FluidSynth), OGG (smaller) or none."
    )
    score: bool = Field(True, description="Engrave the score (MusicXML → SVG and PNG via verovio).")
    roll: bool = Field(True, description="Draw a piano-roll PNG.")
    lyrics: str | None = Field(
        None, max_length=4000,
        description="Words to set (a poem): one note per syllable, a line to a phrase, Chinese tones shaping the tune.",
    )


def _nothing(fraction: float, what: str) -> None:
    return None


class Composer:
    name: ClassVar[str] = "composer"
    version: ClassVar[str] = "0.1.0"
    medium: ClassVar[str] = "music"
    Params: ClassVar[type[BaseModel]] = ComposerParams
    edits: ClassVar[frozenset[str]] = frozenset({"continue", "regenerate", "vary", "reharmonise", "blend"})

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._model: MelodyModel | None = None

    @property
    def model(self) -> MelodyModel:
        """The corpus-trained melody model, loaded on first use (it is shipped with duetto)."""
        if self._model is None:
            self._model = MelodyModel.load()
        return self._model

    def check(self, spec: CreativeSpec, params: BaseModel) -> None:
        """An impossible plan or a soundfont that is not there fails here, before a work is stored."""
        assert isinstance(params, ComposerParams)
        resolve(spec)
        if params.lyrics is not None:
            _lines(params.lyrics)
        if params.audio != "none" and self.settings.soundfont is not None:
            from duetto.media.music.audio import find_soundfont

            find_soundfont(self.settings.soundfont)

    # -- the three ways in -------------------------------------------------------------------

    def generate(self, spec: CreativeSpec, params: BaseModel, seed: int,
                 progress: Progress | None = None) -> Artefact:
        assert isinstance(params, ComposerParams)
        step = progress or _nothing
        step(0.0, "planning")
        music, notes = resolve_with_notes(spec, seed)
        step(0.05, f"composing in {key_name(music.tonic, music.mode)}")
        if params.lyrics:
            piece, music = compose_song(music, _lines(params.lyrics), seed, self.model)
        else:
            piece = compose(music, seed, self.model)
        made = self._render(piece, music, params, step, spec)
        if notes:  # told once, where the plan was made, and kept with the version's spec
            made.resolved["notes"] = list(dict.fromkeys([*spec.notes, *notes]))
        return made

    def revise(self, parent: Artefact, spec: CreativeSpec, params: BaseModel, seed: int,
               progress: Progress | None = None) -> Artefact:
        """Feedback on a piece edits that piece: a new tempo, key, mode, loudness, touch,
        busyness or band is applied to its notes (the tune stays the person's or the model's;
        "more notes" splits its long notes); a new metre, form, style or length needs a new
        piece, composed with the same seed from the revised plan."""
        assert isinstance(params, ComposerParams)
        step = progress or _nothing
        piece = self.read(parent)
        new = resolve(spec, seed)
        old = plan_of(parent, piece, new)
        rebuild = [f for f in ("metre", "form", "style", "bars") if getattr(old, f) != getattr(new, f)]
        if rebuild and "plan" in parent.info:
            step(0.05, f"composing again ({', '.join(rebuild)} changed)")
            piece = compose(new, seed, self.model)
        else:
            if rebuild:
                raise InvalidInput(f"cannot change the {rebuild[0]} of an imported piece",
                                   hint="change its tempo, key, mode or instruments, or ask for a new piece")
            step(0.05, "applying the revised plan")
            piece = edits.retune(piece, old, new, seed)
        return self._render(piece, new, params, step, spec)

    def cowrite(self, parents: list[Artefact], edit: Edit, spec: CreativeSpec, params: BaseModel, seed: int,
                progress: Progress | None = None) -> Artefact:
        assert isinstance(params, ComposerParams)
        if edit.op not in self.edits:
            raise InvalidInput(f"music cannot be edited with {edit.op!r}",
                               hint="music edits: continue, regenerate, vary, reharmonise, blend")
        step = progress or _nothing
        pieces = [self.read(p) for p in parents]
        music = plan_of(parents[0], pieces[0], spec.music)
        step(0.05, edit.describe())
        if edit.op == "continue":
            piece = edits.extend(pieces[0], music, edit.bars or 8, seed, self.model)
        elif edit.op == "regenerate":
            first = edit.first_bar or 1
            piece = edits.regenerate(pieces[0], music, first, edit.last_bar or first, seed, self.model)
        elif edit.op == "vary":
            piece = edits.vary(pieces[0], music, edit.weight, seed, self.model)
        elif edit.op == "reharmonise":
            piece = edits.reharmonise_piece(pieces[0], music, edit.weight, seed)
        else:
            if len(pieces) != 2:
                raise InvalidInput("interpolation takes two pieces")
            piece = edits.interpolate(pieces[0], pieces[1], music, edit.weight, seed)
        music = music.model_copy(update={"bars": min(128, max(4, piece.bars)), "tempo": int(round(piece.tempo))})
        return self._render(piece, music, params, step, spec)

    # -- reading and writing -----------------------------------------------------------------

    def read(self, artefact: Artefact) -> Piece:
        from duetto.media.music.midi import read_midi

        if artefact.ext not in ("mid", "midi"):
            raise InvalidInput(f"a {artefact.mime} file is not music", hint="music edits take a MIDI version")
        return read_midi(artefact.data, "parent.mid").piece

    def _render(self, piece: Piece, music: MusicSpec, params: ComposerParams, step: Progress,
                spec: CreativeSpec) -> Artefact:
        from duetto.media.music.audio import encode, loudness, render_audio
        from duetto.media.music.evaluate import evaluate
        from duetto.media.music.midi import to_midi

        step(0.3, "writing MIDI")
        midi = to_midi(piece)
        extras: dict[str, bytes] = {}
        info: dict[str, Any] = {"plan": music.model_dump(mode="json"), **describe(piece)}
        # FluidSynth is its own process: it renders while the score is engraved here
        pool = ThreadPoolExecutor(max_workers=1)
        audio = pool.submit(render_audio, midi, soundfont=self.settings.soundfont) if params.audio != "none" else None
        pool.shutdown(wait=False)
        if params.score:
            from duetto.media.music.musicxml import to_musicxml
            from duetto.media.music.pictures import score_svg, svg_to_png

            step(0.4, "engraving the score")
            xml = to_musicxml(piece)
            svg = score_svg(xml)
            extras["musicxml"] = xml
            extras["score.svg"] = svg.encode("utf-8")
            extras["score.png"] = svg_to_png(svg, 1200)
        if params.roll:
            from duetto.media.music.pictures import piano_roll

            extras["roll.png"] = piano_roll(piece)
        if audio is not None:
            step(0.6, "rendering audio")
            rendered = audio.result()
            wav = rendered.wav
            extras[params.audio] = wav if params.audio == "wav" else encode(wav, "ogg")
            info["renderer"] = rendered.renderer
            info["loudness"] = loudness(wav)
        step(0.9, "measuring")
        info["evaluation"] = evaluate(piece).model_dump(mode="json")
        step(1.0, "done")
        return Artefact(data=midi, ext="mid", mime="audio/midi", extras=extras, resolved={"music": music},
                        info=info)


def describe(piece: Piece) -> dict[str, Any]:
    """What a person wants to read about a piece without opening it."""
    return {
        "key": key_name(piece.tonic, piece.mode),
        "tempo": piece.tempo,
        "metre": f"{piece.metre[0]}/{piece.metre[1]}",
        "bars": piece.bars,
        "seconds": round(piece.seconds, 2),
        "sections": [[s.label, s.start_bar + 1, s.bars] for s in piece.sections],
        "chords": " ".join(c.symbol for c in piece.chords),
        "tracks": [{"name": t.name, "role": t.role, "program": t.program, "notes": len(t.notes)} for t in piece.tracks],
        **({"lyrics": " ".join(w for t in piece.tracks for _, w in sorted(t.lyrics.items()))[:400]}
           if any(t.lyrics for t in piece.tracks) else {}),
    }


def _lines(text: str) -> list[list[Syllable]]:
    lines = syllables(text)
    if not lines:
        raise InvalidInput("there are no words to sing in the lyrics", hint="give the poem's lines, one per line")
    if len(lines) > 32:
        raise InvalidInput(f"the lyrics have {len(lines)} phrases (lines, or 句 in Chinese); a song takes at most 32")
    return lines


def plan_of(parent: Artefact, piece: Piece, fallback: MusicSpec | None) -> MusicSpec:
    """The plan a parent was made from: stored with it, or read off the piece itself (a human's
    imported MIDI has no plan), keeping the spec's choices for what a file cannot say."""
    if "plan" in parent.info:
        return MusicSpec.model_validate(parent.info["plan"])
    return edits.plan_of_piece(piece, fallback or MusicSpec())
