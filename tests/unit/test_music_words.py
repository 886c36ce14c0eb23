"""Music words in briefs and feedback, zh and en, and the feedback they make on a stored plan."""

from __future__ import annotations

import pytest

from duetto.brief.rules import RuleParser
from duetto.media.music.words import music_feedback, read_music_words
from duetto.spec import (
    CreativeSpec,
    Instrument,
    Mood,
    MusicSpec,
    SpecDelta,
    apply_delta,
)

SEED_BRIEF = "一段充满活力的乐曲，节奏明快，旋律优美，具有跳跃感和动感"
BALLAD_BAND = [Instrument(role="melody", program=0, name="piano"), Instrument(role="chords", program=0, name="piano"),
               Instrument(role="bass", program=32, name="acoustic bass"), Instrument(role="pad", program=48, name="strings")]
FOLK_BAND = [Instrument(role="melody", program=73, name="flute"), Instrument(role="chords", program=25, name="guitar"),
             Instrument(role="bass", program=32, name="acoustic bass"), Instrument(role="drums", program=0, name="drums")]


def _spec(**music: object) -> CreativeSpec:
    plan = MusicSpec(**{"tonic": 9, "mode": "minor", "tempo": 90, "instruments": FOLK_BAND, **music})  # type: ignore[arg-type]
    return CreativeSpec(medium="music", music=plan)


def _music_after(text: str, spec: CreativeSpec) -> tuple[MusicSpec | None, SpecDelta]:
    delta = RuleParser().feedback(text, spec)
    music = apply_delta(spec, delta).music
    return (music if "music" in delta.set else None), delta


def test_seed_brief_asks_for_faster_and_staccato() -> None:
    w = read_music_words(SEED_BRIEF)
    assert w.tempo_factor is not None and w.tempo_factor > 1.05
    assert w.articulation is not None and w.articulation >= 0.7
    assert not w.instruments and not w.drums and w.style is None


def test_slower_solo_piano_leaves_only_piano() -> None:
    music, delta = _music_after("slower, solo piano", _spec())
    assert music is not None and music.tempo < 90
    assert [(i.role, i.program) for i in music.instruments] == [("melody", 0), ("chords", 0)]
    assert not any("not understood" in n for n in delta.notes)


def test_add_erhu_adds_a_fiddle_part_named_erhu_with_a_note() -> None:
    music, delta = _music_after("加入二胡般的音色", _spec())
    assert music is not None
    erhu = [i for i in music.instruments if i.name == "二胡"]
    assert len(erhu) == 1 and erhu[0].program == 110 and erhu[0].role == "counter"
    assert len(music.instruments) == len(FOLK_BAND) + 1  # added, nothing replaced
    assert "二胡 has no General MIDI sound; using Fiddle (110)" in delta.notes
    assert not any("二胡" in n for n in delta.notes if n.startswith("not understood"))
    assert "no change could be read from the feedback" not in delta.notes


@pytest.mark.parametrize("text", ["不要鼓", "去掉鼓", "no drums", "drop the drums", "鼓去掉吧"])
def test_no_drums_removes_drums(text: str) -> None:
    music, delta = _music_after(text, _spec())
    assert music is not None and not any(i.role == "drums" for i in music.instruments)
    assert len(music.instruments) == len(FOLK_BAND) - 1
    assert not delta.is_empty()


@pytest.mark.parametrize("text", ["不要鼓", "no drums", "without drums", "鼓舞人心一点"])
def test_negated_or_unrelated_drum_words_never_add_drums(text: str) -> None:
    music, _ = _music_after(text, _spec(instruments=BALLAD_BAND))
    assert music is None or not any(i.role == "drums" for i in music.instruments)


def test_add_drums_adds_a_drum_part_once() -> None:
    music, _ = _music_after("加鼓", _spec(instruments=BALLAD_BAND))
    assert music is not None and [i.role for i in music.instruments].count("drums") == 1
    again, _ = _music_after("add drums", _spec())  # the folk band already has drums
    assert again is None


def test_key_and_tempo_in_english() -> None:
    w = read_music_words("in D minor at 72 bpm")
    assert (w.tonic, w.mode, w.tempo) == (2, "minor", 72)
    music, delta = _music_after("in D minor at 72 bpm", _spec())
    assert music is not None and (music.tonic, music.mode, music.tempo) == (2, "minor", 72)
    assert not any("not understood" in n for n in delta.notes)


def test_thirty_second_waltz() -> None:
    w = read_music_words("30秒的圆舞曲")
    assert (w.style, w.metre, w.seconds) == ("waltz", "3/4", 30.0)
    music, _ = _music_after("30秒的圆舞曲", _spec())
    assert music is not None and (music.style, music.metre, music.seconds) == ("waltz", "3/4", 30.0)
    bar_seconds = 3 * 60 / music.tempo
    assert abs(music.bars * bar_seconds - 30) <= 4 * bar_seconds  # whole 4-bar phrases near 30 s


@pytest.mark.parametrize(("text", "tonic", "mode"), [
    ("D大调", 2, "major"), ("a小调", 9, "minor"), ("降B大调", 10, "major"), ("G徵调", 7, "zhi"),
    ("C major", 0, "major"), ("in A minor", 9, "minor"), ("E flat major", 3, "major"), ("key of G", 7, None),
])
def test_keys(text: str, tonic: int, mode: str | None) -> None:
    w = read_music_words(text)
    assert (w.tonic, w.mode) == (tonic, mode)


def test_a_minor_key_without_a_letter_is_only_a_mode() -> None:
    w = read_music_words("a minor key ballad")
    assert (w.tonic, w.mode, w.style) == (None, "minor", "ballad")


@pytest.mark.parametrize(("text", "expect"), [
    ("每分钟100拍", {"tempo": 100}), ("allegro", {"tempo": 132}), ("三拍子", {"metre": "3/4"}),
    ("6/8", {"metre": "6/8"}), ("进行曲", {"style": "march", "metre": "2/4"}), ("32小节", {"bars": 32}),
    ("16 bars", {"bars": 16}), ("one minute", {"seconds": 60.0}), ("1分钟", {"seconds": 60.0}),
    ("一分半钟", {"seconds": 90.0}), ("三部曲式", {"form": "ABA"}), ("AABA", {"form": "AABA"}),
    ("主歌副歌", {"form": "verse-chorus"}), ("中国风", {"style": "pentatonic"}), ("dorian", {"mode": "dorian"}),
    ("圣咏", {"style": "chorale"}), ("冥想音乐", {"style": "ambient"}), ("disco", {"style": "dance"}),
])
def test_brief_words(text: str, expect: dict[str, object]) -> None:
    w = read_music_words(text)
    assert {k: getattr(w, k) for k in expect} == expect


def test_mood_words_are_not_tempo_words() -> None:
    assert read_music_words("更欢快一些").is_empty()
    assert read_music_words("快乐的歌").tempo_factor is None
    assert read_music_words("十分优美").seconds is None  # 十分 is "very", not ten minutes


def test_too_fast_and_not_so_loud_ask_for_the_opposite() -> None:
    w = read_music_words("太快了，不要那么响")
    assert w.tempo_factor is not None and w.tempo_factor < 1
    w = read_music_words("not so loud, more legato")
    assert w.dynamics_step is not None and w.dynamics_step < 0
    assert w.articulation_step is not None and w.articulation_step < 0


@pytest.mark.parametrize(("text", "old", "new"), [
    ("把钢琴换成吉他", "piano", 24), ("replace the piano with a harp", "piano", 46), ("violin instead of piano", "piano", 40),
])
def test_replacing_one_instrument_keeps_its_role(text: str, old: str, new: int) -> None:
    music, _ = _music_after(text, _spec(instruments=BALLAD_BAND))
    assert music is not None
    assert [i.program for i in music.instruments] == [new, new, 32, 48]
    assert len(music.instruments) == len(BALLAD_BAND)


def test_switch_to_replaces_the_melody_only() -> None:
    music, _ = _music_after("换成小提琴", _spec(instruments=BALLAD_BAND))
    assert music is not None and music.instruments[0].program == 40 and music.instruments[1].program == 0


def test_feedback_leaves_unchanged_music_alone() -> None:
    spec = _spec()
    delta = music_feedback("hello", spec, SpecDelta(feedback="hello"))
    assert "music" not in delta.set
    painting = CreativeSpec()
    assert music_feedback("slower", painting, SpecDelta()) == SpecDelta()


def test_louder_busier_staccato_move_the_plan() -> None:
    music, _ = _music_after("louder, more notes, staccato", _spec())
    assert music is not None
    base = _spec().music
    assert base is not None
    assert music.dynamics > base.dynamics and music.density > base.density and music.articulation > base.articulation


def test_happier_is_a_mood_that_moves_the_plan() -> None:
    spec = _spec(mode="minor").model_copy(update={"mood": Mood()})
    delta = RuleParser().feedback("更欢快一些", spec)
    assert delta.shift.get("mood.valence", 0) > 0  # the mood path heard it
    music = apply_delta(spec, delta).music
    assert music is not None and music.mode != "minor" and music.tempo >= 90


def test_explicit_tempo_wins_over_the_mood() -> None:
    music, _ = _music_after("sadder, 120 bpm", _spec(mode="major"))
    assert music is not None and music.tempo == 120


@pytest.mark.parametrize("text", ["make a minor change to the melody", "十分优美", "鼓舞人心", "快乐", "温暖的颜色"])
def test_words_that_only_look_musical_change_nothing(text: str) -> None:
    w = read_music_words(text)
    assert (w.mode, w.tonic, w.seconds, w.tempo_factor, w.drums, w.instruments) == (None, None, None, None, False, [])
