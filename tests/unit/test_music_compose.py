"""Plan, harmony, form and composition: the music a brief becomes, measured note by note."""

from __future__ import annotations

import numpy as np
import pytest

from duetto.brief.rules import RuleParser
from duetto.media.music import plan, styles
from duetto.media.music.compose import compose, sections_for
from duetto.media.music.harmony import chord_of, progression, reharmonise, voice
from duetto.media.music.melody import MelodyModel
from duetto.media.music.theory import MODES, Chord, diatonic_chord, scale_pcs
from duetto.spec import CreativeSpec, Instrument, Mood, MusicSpec

SEED_BRIEF = "一段充满活力的乐曲，节奏明快，旋律优美，具有跳跃感和动感"


@pytest.fixture(scope="module")
def model() -> MelodyModel:
    return MelodyModel.load()


def spec_for(brief: str) -> CreativeSpec:
    return RuleParser().brief(brief, medium="music")


def test_seed_brief_plans_a_lively_major_piece() -> None:
    music = plan.resolve(spec_for(SEED_BRIEF), seed=1)
    assert music.mode in ("major", "mixolydian", "gong", "zhi")
    assert music.tempo >= 100
    assert music.articulation >= 0.4  # 跳跃感: detached notes
    assert 20 <= music.bars * 4 * 60 / music.tempo <= 45  # about 30 seconds by default


def test_sad_calm_brief_plans_minor_and_slow() -> None:
    music = plan.resolve(spec_for("a sad, quiet piece for a rainy night"), seed=1)
    assert music.mode in ("minor", "dorian", "phrygian")
    assert music.tempo < 90


def test_chinese_flavoured_brief_is_pentatonic_without_drums() -> None:
    music = plan.resolve(spec_for("一段中国风的乐曲，古筝和笛子，江南春色"), seed=3)
    assert music.style == "pentatonic"
    assert len(MODES[music.mode]) == 5
    assert all(i.role != "drums" for i in music.instruments)


def test_explicit_words_beat_the_mood() -> None:
    music = plan.resolve(spec_for("a joyful waltz in D minor at 72 bpm"), seed=0)
    assert (music.tonic, music.mode, music.metre) == (2, "minor", "3/4")
    assert music.tempo == 72


def test_follow_mood_brightens_mode_and_speeds_up() -> None:
    before = CreativeSpec(medium="music", mood=Mood(valence=-0.4, arousal=0.4))
    after = before.model_copy(update={"mood": Mood(valence=0.3, arousal=0.6)})
    music = MusicSpec(mode="minor", tempo=90)
    moved = styles.follow_mood(music, before, after)
    assert moved.mode == "major" and moved.tempo > 90
    assert styles.follow_mood(music, before, before) == music


@pytest.mark.parametrize(("form", "bars", "labels"), [
    ("AABA", 16, ["A", "A", "B", "A"]), ("ABA", 12, ["A", "B", "A"]),
    ("verse-chorus", 16, ["verse", "chorus", "verse", "chorus"]), ("AABA", 4, ["A"]), ("AB", 10, ["A", "B"]),
    ("AABA", 8, ["A"]), ("AABA", 28, ["A", "A", "B", "A"]), ("ABA", 12, ["A", "B", "A"]),
])
def test_sections_cover_every_bar_once(form: str, bars: int, labels: list[str]) -> None:
    sections = sections_for(form, bars)
    assert [s.label for s in sections] == labels
    assert sum(s.bars for s in sections) == bars
    assert [s.start_bar for s in sections] == [sum(x.bars for x in sections[:i]) for i in range(len(sections))]


def test_progression_closes_on_the_tonic_and_opens_on_the_dominant() -> None:
    rng = np.random.default_rng(0)
    chords = progression(0, "major", 8, 4.0, 0.0, "close", rng)
    assert chords[-1].root == 0 and chords[-1].quality == "maj"
    first_phrase_end = [c for c in chords if c.start < 16][-1]
    assert first_phrase_end.root == 7  # a half cadence on G
    assert sum(c.dur for c in chords) == pytest.approx(32.0)


def test_minor_cadence_uses_the_raised_leading_tone() -> None:
    assert chord_of(9, "minor", 4, 0, 4, cadence=True).pcs == (4, 8, 11)  # E major: G#
    assert chord_of(9, "minor", 4, 0, 4, cadence=False).pcs == (4, 7, 11)  # e minor mid-phrase
    for seed in range(6):  # a closing minor phrase that passes through v makes it V at the end
        chords = progression(9, "minor", 4, 4.0, 0.0, "close", np.random.default_rng(seed))
        assert chords[-1].root == 9
        if chords[-2].root == 4:
            assert chords[-2].quality in ("maj", "7")


def test_pentatonic_chords_use_only_the_mode_notes() -> None:
    for degree in range(5):
        root, quality = diatonic_chord(7, "zhi", degree)
        pcs = set(Chord(root, quality, 0, 1).pcs)
        assert pcs <= set(scale_pcs(7, "zhi"))


def test_voicings_move_little() -> None:
    chords = [Chord(0, "maj", 0, 4), Chord(9, "min", 4, 4), Chord(5, "maj", 8, 4), Chord(7, "maj", 12, 4)]
    voicings = voice(chords)
    for a, b in zip(voicings, voicings[1:], strict=False):
        assert sum(abs(x - y) for x, y in zip(sorted(a), sorted(b), strict=True)) <= 7
    for c, v in zip(chords, voicings, strict=True):
        assert {p % 12 for p in v} == set(c.pcs)


def test_reharmonise_keeps_melody_notes_in_the_new_chords() -> None:
    melody = [(0.0, 64, 2.0), (2.0, 62, 2.0), (4.0, 60, 4.0), (8.0, 65, 4.0), (12.0, 67, 2.0), (14.0, 64, 2.0)]
    old = [Chord(0, "maj", 0, 4), Chord(0, "maj", 4, 4), Chord(5, "maj", 8, 4), Chord(0, "maj", 12, 4)]
    new = reharmonise(melody, old, 0, "major", np.random.default_rng(1), change=1.0)
    assert len(new) == 4 and new[-1].root == 0
    assert [c.root for c in new] != [c.root for c in old]
    for start, pitch, _ in melody:  # every strong melody note sits in its chord
        chord = next(c for c in new if c.start <= start < c.start + c.dur)
        if start % 4 == 0:
            assert pitch % 12 in chord.pcs


def test_compose_fits_the_plan(model: MelodyModel) -> None:
    music = plan.resolve(spec_for(SEED_BRIEF), seed=5)
    piece = compose(music, 5, model)
    assert piece.bars == music.bars and piece.tempo == music.tempo
    roles = [t.role for t in piece.tracks]
    assert roles == [i.role for i in music.instruments]
    scale = set(scale_pcs(music.tonic, music.mode))
    tune = piece.track("melody")
    assert tune is not None and len(tune.notes) >= music.bars * 2
    in_scale = sum(n.pitch % 12 in scale for n in tune.notes) / len(tune.notes)
    assert in_scale >= 0.95
    for t in piece.tracks:  # nothing outside the piece
        assert all(0 <= n.start < piece.beats and n.dur > 0 and 1 <= n.vel <= 127 for n in t.notes)


def test_repeated_sections_bring_the_tune_back(model: MelodyModel) -> None:
    music = MusicSpec(tonic=2, mode="major", tempo=100, bars=16, form="AABA", style="ballad",
                      instruments=[Instrument(role="melody", program=0), Instrument(role="chords", program=0)])
    piece = compose(music, 11, model)
    tune = piece.track("melody")
    assert tune is not None
    bar = piece.bar_beats

    def section(k: int) -> list[tuple[float, int]]:
        return [(round(n.start - 4 * k * bar, 3), n.pitch) for n in tune.notes if 4 * k * bar <= n.start < 4 * (k + 1) * bar]

    assert section(0) == section(1) == section(3)
    assert section(2) != section(0)


def test_same_seed_same_piece_and_band_change_keeps_the_tune(model: MelodyModel) -> None:
    music = plan.resolve(spec_for("a calm ballad"), seed=9)
    a, b = compose(music, 9, model), compose(music, 9, model)
    assert [t.notes for t in a.tracks] == [t.notes for t in b.tracks]
    solo = music.model_copy(update={"instruments": [Instrument(role="melody", program=40, name="violin")],
                                    "tempo": music.tempo - 20})
    c = compose(solo, 9, model)
    tune_a, tune_c = a.track("melody"), c.track("melody")
    assert tune_a is not None and tune_c is not None
    assert [(n.start, n.pitch) for n in tune_a.notes] == [(n.start, n.pitch) for n in tune_c.notes]
    assert compose(music, 10, model).track("melody") != tune_a
