"""Setting words: one note per syllable, lines as phrases, Chinese tones shaping the tune, and
the words travelling through MIDI and MusicXML."""

from __future__ import annotations

import io

import mido
import numpy as np
import pytest
from music21 import converter

from duetto.errors import InvalidInput
from duetto.media.music.engine import Composer, ComposerParams
from duetto.media.music.lyrics import line_plan, set_line, syllables, tone_agreement
from duetto.media.music.melody import MelodyModel
from duetto.media.music.midi import read_midi
from duetto.media.music.theory import Chord
from duetto.spec import CreativeSpec

JINGYESI = "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。"
# 杜牧《山行》as poems are usually printed: two 句 to a row.
SHANXING = "《山行》\n远上寒山石径斜，白云生处有人家。\n停车坐爱枫林晚，霜叶红于二月花。\n"
SHANXING_JU = ["远上寒山石径斜", "白云生处有人家", "停车坐爱枫林晚", "霜叶红于二月花"]


@pytest.fixture(scope="module")
def model() -> MelodyModel:
    return MelodyModel.load()


def test_chinese_lines_become_characters_with_their_tones() -> None:
    lines = syllables("《静夜思》\n" + JINGYESI)
    assert [len(line) for line in lines] == [5, 5, 5, 5]  # the title line and punctuation are not sung
    assert [(s.text, s.tone) for s in lines[0]] == [("床", 2), ("前", 2), ("明", 2), ("月", 4), ("光", 1)]


def test_every_ju_mark_ends_a_phrase_not_only_the_end_of_a_printed_row() -> None:
    assert ["".join(s.text for s in ju) for ju in syllables(SHANXING)] == SHANXING_JU
    assert [len(ju) for ju in syllables("知否，知否？应是绿肥红瘦。")] == [2, 2, 6]
    assert [len(ju) for ju in syllables("风、雨；雷：电！")] == [1, 1, 1, 1]


def test_a_qijue_printed_two_ju_a_row_is_sung_as_four_phrases_of_seven() -> None:
    made = Composer().generate(CreativeSpec(medium="music", brief="山行 秋"),
                               ComposerParams(lyrics=SHANXING, audio="none", roll=False), 11)
    piece = read_midi(made.data).piece
    tune = piece.track("melody")
    assert tune is not None
    sung = sorted(tune.lyrics.items())
    bar_beats = piece.metre[0] * 4 / piece.metre[1]
    phrases = [[w for t0, w in sung if s.start_bar * bar_beats <= t0 < (s.start_bar + s.bars) * bar_beats]
               for s in piece.sections]
    assert ["".join(p) for p in phrases] == SHANXING_JU  # 4 phrases of 7 syllables, in order
    starts = [s.start_bar * bar_beats for s in piece.sections]
    assert [tune.lyrics.get(t0) for t0 in starts] == [ju[0] for ju in SHANXING_JU]  # each opens its phrase
    onsets = sorted(n.start for n in tune.notes)
    for s, t0 in zip(piece.sections, starts, strict=True):
        inside = [n for n in tune.notes if t0 <= n.start < t0 + s.bars * bar_beats]
        assert min(n.start for n in inside) == pytest.approx(t0) and len(inside) == 7
        assert max(inside, key=lambda n: n.start).dur == max(n.dur for n in inside)  # the 句 breathes at its end
    assert len(onsets) == 28


def test_english_words_get_a_note_per_syllable() -> None:
    (line,) = syllables("Shall I compare thee to a summer's day?")
    assert len(line) == 10 and line[2].text == "compare" and line[3].text == ""


@pytest.mark.parametrize(("n", "bar_beats"), [(5, 4.0), (7, 4.0), (10, 4.0), (14, 3.0), (1, 2.0)])
def test_line_rhythm_fills_its_bars_and_holds_the_last_syllable(n: int, bar_beats: float) -> None:
    bars, rhythm = line_plan(n, bar_beats)
    assert sum(len(b) for b in rhythm) == n
    assert all(sum(b) == pytest.approx(bar_beats) for b in rhythm)
    assert rhythm[-1][-1] >= max(d for b in rhythm for d in b[:-1] or [0])


def test_the_chosen_tune_follows_the_tones_better_than_chance(model: MelodyModel) -> None:
    sung = syllables(JINGYESI)[0]
    chords = [Chord(0, "maj", 0, 4), Chord(7, "maj", 4, 4)]
    notes, words = set_line(model, sung, chords, 0.0, 4.0, "4/4", 0, "gong", np.random.default_rng(3), low=60,
                            high=76, start_pitch=None, cadence="half")
    assert len(notes) == 5 and list(words.values()) == ["床", "前", "明", "月", "光"]
    assert list(words) == [n.start for n in notes]
    chance = []
    rng = np.random.default_rng(9)
    from duetto.media.music.melody import write_phrase

    for _ in range(40):
        cand = write_phrase(model, chords, 0.0, 2, 4.0, "4/4", 0, "gong", rng, low=60, high=76, density=0.5,
                            start_pitch=None, cadence="half", rhythm=line_plan(5, 4.0)[1])
        chance.append(tone_agreement(cand, sung))
    assert tone_agreement(notes, sung) >= float(np.mean(chance)) + 0.15


def test_a_song_carries_its_words_through_midi_and_musicxml() -> None:
    engine = Composer()
    spec = CreativeSpec(medium="music", brief="静夜思 中国风")
    made = engine.generate(spec, ComposerParams(lyrics=JINGYESI, audio="none", roll=False), 5)
    piece = read_midi(made.data).piece
    tune = piece.track("melody")
    assert tune is not None and "".join(w for _, w in sorted(tune.lyrics.items())) == "床前明月光疑是地上霜举头望明月低头思故乡"
    assert len(tune.notes) == 20 and [s.label for s in piece.sections] == ["line 1", "line 2", "line 3", "line 4"]
    events = [m.text for t in mido.MidiFile(file=io.BytesIO(made.data), charset="utf-8").tracks for m in t
              if m.type == "lyrics"]
    assert events[:5] == ["床", "前", "明", "月", "光"]
    score = converter.parseData(made.extras["musicxml"].decode("utf-8"), format="musicxml")
    sung = [n.lyric for n in score.parts[0].recurse().notes if n.lyric]
    assert sung[:5] == ["床", "前", "明", "月", "光"] and len(sung) == 20
    assert made.resolved["music"].bars == piece.bars == 8
    assert "床前明月光" in made.info["lyrics"].replace(" ", "")
    assert engine.generate(spec, ComposerParams(lyrics=JINGYESI, audio="none", roll=False), 5).data == made.data


def test_lyrics_with_nothing_to_sing_are_refused() -> None:
    with pytest.raises(InvalidInput, match="no words to sing"):
        Composer().check(CreativeSpec(medium="music"), ComposerParams(lyrics="，。!?\n\n"))
