"""Key and chord estimation, and the evaluation figures, on hand-built music."""

from __future__ import annotations

import random

import pytest

from duetto.media.music.analyse import estimate_chords, estimate_key
from duetto.media.music.evaluate import (
    MusicReport,
    corpus_figures,
    evaluate,
    load_corpus_figures,
)
from duetto.media.music.score import Note, Piece, Section, Track
from duetto.media.music.theory import Chord


def _line(pitches: list[int], dur: float = 1.0, start: float = 0.0) -> list[Note]:
    return [Note(start + i * dur, p, dur) for i, p in enumerate(pitches)]


def _block(chords: list[tuple[int, ...]], bar: float = 4.0) -> list[Note]:
    return [Note(i * bar, p, bar) for i, ch in enumerate(chords) for p in ch]


def test_c_major_scale_reads_as_c_major() -> None:
    tonic, mode, score = estimate_key(_line([60, 62, 64, 65, 67, 69, 71, 72]))
    assert (tonic, mode) == (0, "major")
    assert score > 0.8


def test_c_major_cadence_reads_as_c_major() -> None:
    notes = _block([(48, 52, 55, 60), (53, 57, 60, 65), (55, 59, 62, 65), (48, 52, 55, 60)])
    assert estimate_key(notes)[:2] == (0, "major")


def test_a_minor_with_raised_seventh_reads_as_a_minor() -> None:
    notes = _line([57, 59, 60, 62, 64, 65, 68, 69, 64, 60, 59, 57], dur=1.0) + [Note(12, 45, 4)]
    assert estimate_key(notes)[:2] == (9, "minor")


def test_zhi_pentatonic_tune_on_g() -> None:
    # G A C D E only (C 宫 collection), resting on G: 徵 mode on G.
    tune = [67, 69, 72, 74, 76, 74, 72, 69, 67, 64, 62, 67, 69, 72, 69, 67]
    tonic, mode, _ = estimate_key(_line(tune))
    assert (tonic, mode) == (7, "zhi")
    assert estimate_key(_line(tune), pentatonic=False)[1] in ("major", "minor")


def test_three_note_tune_is_not_called_pentatonic() -> None:
    assert estimate_key(_line([60, 64, 67, 64, 60]))[1] == "major"


def test_drums_would_mislead_so_no_notes_is_c_major_zero() -> None:
    assert estimate_key([]) == (0, "major", 0.0)


def test_chords_of_hand_built_bars() -> None:
    bars = [(52, 55, 60, 64), (45, 57, 60, 64), (43, 59, 62, 65), (47, 50, 53, 59), (41, 57, 60, 65)]
    chords = estimate_chords(_block(bars), bar_beats=4.0, bars=5)
    assert [c.symbol for c in chords] == ["C/E", "Am", "G7", "Bdim", "F"]
    assert chords[1].start == 4.0 and chords[1].dur == 4.0


def test_chords_per_half_bar_and_silence_repeats_previous() -> None:
    notes = [Note(0, p, 2) for p in (48, 52, 55)] + [Note(2, p, 2) for p in (43, 47, 50)]
    chords = estimate_chords(notes, bar_beats=4.0, bars=2, per_bar=2)
    assert [c.symbol for c in chords] == ["C", "G", "G", "G"]
    assert [c.start for c in chords] == [0.0, 2.0, 4.0, 6.0]
    assert estimate_chords([], 4.0, 4) == []
    with pytest.raises(ValueError):
        estimate_chords(notes, 4.0, 2, per_bar=0)


def _good_piece() -> Piece:
    """16 bars of C major, AABA, stepwise phrases whose strong beats sit on their chords."""
    a = [(64, 1), (62, 1), (60, 2), (64, 1), (65, 1), (67, 2), (69, 1), (67, 1), (65, 1), (64, 1), (67, 2), (60, 2)]
    b = [(69, 1), (71, 1), (72, 2), (71, 1), (69, 1), (67, 2), (65, 1), (64, 1), (62, 1), (64, 1), (67, 4)]
    melody: list[Note] = []
    t = 0.0
    for phrase in (a, a, b, a):
        for pitch, dur in phrase:
            melody.append(Note(t, pitch, dur))
            t += dur
    c, f, g, g7 = (0, "maj"), (5, "maj"), (7, "maj"), (7, "7")
    prog = [c, c, f, c] * 2 + [f, g, g7, c] + [c, c, f, c]
    chords = [Chord(root, q, i * 4.0, 4.0) for i, (root, q) in enumerate(prog)]
    accomp = [Note(c.start, 48 + p, 4.0) for c in chords for p in sorted(c.pcs)]
    bass = [Note(c.start, 36 + c.root, 4.0) for c in chords]
    return Piece(tempo=100, metre=(4, 4), tonic=0, mode="major", bars=16, chords=chords,
                 sections=[Section(lab, i * 4, 4) for i, lab in enumerate("AABA")],
                 tracks=[Track("piano", 0, "melody", melody), Track("piano", 0, "chords", accomp),
                         Track("bass", 32, "bass", bass), Track("drums", 0, "drums", [Note(0, 36, 1)], drum=True)])


def _random_piece(seed: int = 3) -> Piece:
    rng = random.Random(seed)
    notes, t = [], 0.0
    while t < 64:
        dur = rng.choice([0.25, 0.75, 1.0, 1.5, 0.5, 1 / 3])
        notes.append(Note(round(t, 4), rng.randint(48, 84), dur))
        t += dur
    return Piece(tempo=100, metre=(4, 4), tonic=0, mode="major", bars=16, tracks=[Track("lead", 0, "melody", notes)])


def test_good_piece_beats_random_notes_on_every_tonal_figure() -> None:
    good, rand = evaluate(_good_piece()), evaluate(_random_piece())
    assert good.key == "C major" and good.heard_key == "C major"
    assert good.in_scale == 1.0 and rand.in_scale is not None and rand.in_scale < 0.8
    assert good.pc_entropy is not None and rand.pc_entropy is not None
    assert good.pc_entropy < 2.9 < rand.pc_entropy <= 3.59
    assert good.repetition is not None and rand.repetition is not None and good.repetition > 0.6 > rand.repetition
    assert good.key_consistency is not None and rand.key_consistency is not None
    assert good.key_consistency >= 0.8 > 0.2 >= rand.key_consistency
    assert good.onset_grid == 1.0 and rand.onset_grid is not None and rand.onset_grid < 0.8
    assert good.rhythm_regularity is not None and rand.rhythm_regularity is not None
    assert good.rhythm_regularity > rand.rhythm_regularity
    assert good.step_share is not None and good.step_share > 0.6
    assert rand.leap_share is not None and rand.leap_share > 0.7
    assert good.chord_tone_ratio is not None and good.chord_tone_ratio > 0.7
    assert rand.chord_tone_ratio is None  # a lone line has no harmony to agree with


def test_good_piece_range_form_and_speed() -> None:
    r = evaluate(_good_piece())
    assert (r.range_semitones, r.lowest, r.highest) == (12, "C4", "C5")
    assert r.sections == ["A", "A", "B", "A"]
    assert r.heard_form == "AABA"
    melody_notes = len(_good_piece().tracks[0].notes)
    assert r.notes_per_second == pytest.approx(melody_notes / (64 * 60 / 100), abs=1e-3)


def test_transposed_bars_count_as_repetition_but_not_exact() -> None:
    bar = [(0.0, 0, 1.0), (1.0, 2, 1.0), (2.0, 4, 2.0)]
    notes = [Note(b * 4 + s, 60 + 2 * b + d, dur) for b in range(4) for s, d, dur in bar]
    piece = Piece(tempo=90, metre=(4, 4), tonic=0, mode="major", bars=4, tracks=[Track("m", 0, "melody", notes)])
    r = evaluate(piece)
    assert r.repetition == 1.0
    assert r.exact_repetition == 0.0


def test_corpus_figures_and_lines_show_reference_beside_each_figure() -> None:
    corpus = corpus_figures([_good_piece(), _random_piece(1), _random_piece(2)])
    fig = corpus["figures"]["in_scale"]
    assert fig["p10"] <= fig["mean"] <= fig["p90"] and fig["n"] == 3
    lines = evaluate(_good_piece()).lines(corpus)
    in_scale = next(line for line in lines if line.startswith("in-scale"))
    assert in_scale.startswith("in-scale 1.00 (corpus ")
    assert any(line.startswith("melodic range (semitones) 12") and "C4-C5" in line for line in lines)
    assert "heard form AABA" in lines
    assert all("corpus" not in line for line in evaluate(_good_piece()).lines(None))


def test_shipped_corpus_figures_are_plausible() -> None:
    corpus = load_corpus_figures()
    assert corpus is not None, "run scripts/music_corpus_figures.py"
    figs = corpus["figures"]
    assert corpus["pieces"] >= 100
    assert 0.85 < figs["in_scale"]["mean"] <= 1.0
    assert 2.0 < figs["pc_entropy"]["mean"] < 3.2
    assert 0.4 < figs["step_share"]["mean"] < 0.8
    assert set(figs) <= set(MusicReport.model_fields)
