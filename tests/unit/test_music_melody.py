"""The melody model: reading real corpus tunes, training, the shipped file, and the writer's rules."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from duetto.errors import InvalidInput
from duetto.media.music.corpus import abc_paths, read_abc, read_corpus
from duetto.media.music.melody import (
    DATA_FILE,
    MelodyModel,
    chord_scale,
    vary_phrase,
    write_phrase,
)
from duetto.media.music.score import Note
from duetto.media.music.theory import PENTATONIC, Chord, diatonic_chord, scale_pcs


@pytest.fixture(scope="module")
def shipped() -> MelodyModel:
    return MelodyModel.load()


def chords_for(tonic: int, mode: str, degrees: list[int], bar_beats: float, start: float = 0.0) -> list[Chord]:
    out = []
    for i, d in enumerate(degrees):
        root, quality = diatonic_chord(tonic, mode, d)
        out.append(Chord(root, quality, start + i * bar_beats, bar_beats))
    return out


def chord_at(chords: list[Chord], t: float) -> Chord:
    return next(c for c in chords if c.start <= t < c.start + c.dur)


def assert_well_formed(notes: list[Note], start: float, end: float, low: int, high: int) -> None:
    assert notes, "no notes"
    for a, b in zip(notes, notes[1:], strict=False):
        assert a.start + a.dur <= b.start + 1e-9, f"{a} overlaps {b}"
    for n in notes:
        assert n.dur > 0 and start - 1e-9 <= n.start and n.start + n.dur <= end + 1e-9, n
        assert low <= n.pitch <= high, n


# -- corpus and training ---------------------------------------------------------------------


def test_first_chinese_song_reads_as_pentatonic_shang_in_two_four() -> None:
    text = next(p for p in abc_paths("chinese") if p.name == "han1.abc").read_text(encoding="latin-1")
    tunes, failed = read_abc(text, "chinese", limit=1, pentatonic=True)
    assert failed == 0
    tune = tunes[0]
    # X:1 "Renmin gongshe shizai hao", K:C, ends on D: the D 商 mode of the C pentatonic set
    assert (tune.metre, tune.tonic, tune.mode, tune.scale) == ("2/4", 2, "shang", "pentatonic")
    assert tune.bars[0].onsets == (0.0, 1.0, 1.5) and tune.bars[0].full  # d4A2c2 at L:1/16
    assert [e.midi for e in tune.events[:4]] == [74, 69, 72, 74]
    assert [e.step for e in tune.events[:4]] == [5, 3, 4, 5]  # D5 = one pentatonic octave above D4
    # each line of the Essen encoding is a phrase: bar 4 ends the first one
    assert [b.phrase_end for b in tune.bars[:5]] == [False, False, False, True, False]


def test_abc_reader_carries_accidentals_merges_ties_and_right_aligns_a_pickup() -> None:
    text = "X:1\nT:t\nM:3/4\nL:1/8\nK:G\nD2 | ^c2 c2 B2- | B2 A2 G2 |]\n"
    (tune,), failed = read_abc(text, "test")
    assert failed == 0
    assert [e.midi for e in tune.events] == [62, 73, 73, 71, 69, 67]  # the second c keeps its sharp
    assert [e.dur for e in tune.events] == [1.0, 1.0, 1.0, 2.0, 1.0, 1.0]  # B2-B2 is one note
    assert tune.events[0].onset == 2.0  # the pickup is the bar's last beat
    assert (tune.tonic, tune.mode) == (7, "major")
    assert tune.bars[2].onsets == (1.0, 2.0) and tune.bars[2].phrase_end


def test_tiny_model_trains_on_real_tunes_and_round_trips(tmp_path) -> None:
    corpus = read_corpus(("chinese", "essen"), limit=5)
    assert corpus.used["chinese"] == 5 and corpus.used["essen"] == 5
    model = MelodyModel.train(corpus.tunes)
    assert model.intervals["pentatonic"].tokens > 100 and model.intervals["heptatonic"].tokens > 100
    assert model.summary["tunes_by_scale"] == {"pentatonic": 5, "heptatonic": 5}
    for name in ("m.json", "m.json.gz"):
        back = MelodyModel.load(model.save(tmp_path / name))
        assert back.to_json() == model.to_json()
        assert np.allclose(back.intervals["heptatonic"].logp, model.intervals["heptatonic"].logp)
    assert gzip.decompress((tmp_path / "m.json.gz").read_bytes())[:1] == b"{"


def test_shipped_model_loads_with_its_training_summary(shipped: MelodyModel) -> None:
    assert DATA_FILE.exists() and DATA_FILE.stat().st_size < 2 * 1024 * 1024
    assert shipped.version.startswith("melody-ngram-")
    used = {k: v["used"] for k, v in shipped.summary["collections"].items()}
    assert used["bach"] > 300 and used["chinese"] > 1000 and used["essen"] > 5000
    assert shipped.summary["tokens"]["heptatonic"] > 100_000 and shipped.summary["tokens"]["pentatonic"] > 10_000
    assert {"4/4", "3/4", "2/4", "6/8"} <= set(shipped.metres)
    # steps are the commonest interval in folk song and chorale alike
    hept = shipped.intervals["heptatonic"]
    per_interval = hept.trigram.sum(axis=(0, 1))
    assert per_interval[hept.span + 1] + per_interval[hept.span - 1] > 0.4 * per_interval.sum()


def test_load_rejects_a_file_that_is_not_a_melody_model(tmp_path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"version": "palette-1"}))
    with pytest.raises(InvalidInput):
        MelodyModel.load(path)


# -- write_phrase --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_phrase_keeps_chord_tones_on_strong_beats_scale_range_and_tonic_ending(shipped: MelodyModel, seed: int) -> None:
    chords = chords_for(0, "major", [0, 3, 4, 0], 4.0, start=8.0)
    notes = write_phrase(shipped, chords, 8.0, 4, 4.0, "4/4", 0, "major", np.random.default_rng(seed),
                         low=57, high=76, density=seed / 5, cadence="tonic")
    assert_well_formed(notes, 8.0, 24.0, 57, 76)
    scale = set(scale_pcs(0, "major"))
    for n in notes:
        assert n.pitch % 12 in scale, n
        if (n.start - 8.0) % 4.0 in (0.0, 2.0):  # beats 1 and 3
            assert n.pitch % 12 in chord_at(chords, n.start).pcs, n
    assert notes[-1].pitch % 12 == 0
    assert notes[-1].dur >= 1.0 and notes[-1].dur >= max(n.dur for n in notes if n.start >= 20.0)


def test_phrase_is_deterministic_for_a_seed_and_varies_between_seeds(shipped: MelodyModel) -> None:
    chords = chords_for(9, "minor", [0, 3, 4, 0], 3.0)

    def run(seed: int) -> list[Note]:
        return write_phrase(shipped, chords, 0.0, 4, 3.0, "6/8", 9, "minor", np.random.default_rng(seed),
                            low=57, high=76, density=0.5, cadence="half")

    assert run(3) == run(3)
    assert len({tuple(run(s)) for s in range(5)}) == 5
    for seed in range(5):
        assert run(seed)[-1].pitch % 12 in (11, 4)  # B or E: the 2nd or 5th degree of A minor


def test_chord_scale_takes_chromatic_chord_tones_in_place_of_their_neighbours() -> None:
    allowed, tones = chord_scale(9, "minor", Chord(4, "7", 0.0, 4.0))  # E7 in A minor
    assert allowed == {9, 11, 0, 2, 4, 5, 8} and tones == {4, 8, 11, 2}  # G# instead of G
    allowed, _ = chord_scale(0, "major", Chord(2, "7", 0.0, 4.0))  # D7 in C: F# instead of F
    assert 6 in allowed and 5 not in allowed
    allowed, _ = chord_scale(0, "major", Chord(10, "maj", 0.0, 4.0))  # Bb in C: Bb instead of B
    assert 10 in allowed and 11 not in allowed and 9 in allowed
    allowed, tones = chord_scale(7, "zhi", Chord(2, "maj", 0.0, 4.0))  # pentatonic keeps its five notes (no F#)
    assert allowed == set(scale_pcs(7, "zhi")) and tones == {2, 9}


def test_minor_phrase_takes_the_raised_seventh_under_the_dominant(shipped: MelodyModel) -> None:
    # A minor, i - iv - V(E major, G#) - i, two chords a bar so every chord change is a strong beat
    degrees = [0, 0, 3, 3, 4, 4, 0, 0]
    chords = [Chord(*diatonic_chord(9, "minor", d), i * 2.0, 2.0) for i, d in enumerate(degrees)]
    chords[4] = Chord(4, "maj", 8.0, 2.0)
    chords[5] = Chord(4, "7", 10.0, 2.0)
    for seed in range(5):
        notes = write_phrase(shipped, chords, 0.0, 4, 4.0, "4/4", 9, "minor", np.random.default_rng(seed),
                             low=57, high=76, density=0.7, cadence="tonic")
        for n in notes:
            chord = chord_at(chords, n.start)
            if chord.root == 4:
                assert n.pitch % 12 != 7, f"G natural against {chord.symbol}: {n}"
            if n.start % 2.0 == 0.0:
                assert n.pitch % 12 in chord.pcs, n


@pytest.mark.parametrize("mode", PENTATONIC)
def test_pentatonic_phrase_uses_only_the_five_notes(shipped: MelodyModel, mode: str) -> None:
    tonic = 7
    chords = chords_for(tonic, mode, [0, 1, 3, 0], 2.0)
    notes = write_phrase(shipped, chords, 0.0, 4, 2.0, "2/4", tonic, mode, np.random.default_rng(1),
                         low=60, high=81, density=0.6, cadence="tonic")
    assert_well_formed(notes, 0.0, 8.0, 60, 81)
    assert {n.pitch % 12 for n in notes} <= set(scale_pcs(tonic, mode))
    assert notes[-1].pitch % 12 == tonic


def test_given_rhythm_is_reused_bar_for_bar(shipped: MelodyModel) -> None:
    chords = chords_for(2, "major", [0, 4, 0, 4], 3.0)
    rhythm = [[1.0, 0.5, 0.5, 1.0], [1.5, 0.5, 1.0]]
    notes = write_phrase(shipped, chords, 0.0, 4, 3.0, "3/4", 2, "major", np.random.default_rng(0),
                         low=60, high=79, density=0.9, cadence=None, rhythm=rhythm)
    onsets = [n.start for n in notes]
    assert [t for t in onsets if t < 6.0] == [0.0, 1.0, 1.5, 2.0, 3.0, 4.5, 5.0]
    assert notes[-1].pitch % 12 in chords[-1].pcs  # no cadence asked: ends on a chord tone


def test_reused_rhythm_still_ends_a_cadence_on_a_long_note(shipped: MelodyModel) -> None:
    chords = chords_for(7, "major", [0, 4], 2.0)
    busy = [[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]]
    notes = write_phrase(shipped, chords, 0.0, 2, 2.0, "2/4", 7, "major", np.random.default_rng(0),
                         low=60, high=79, cadence="tonic", rhythm=busy)
    assert [n.start for n in notes if n.start < 2.0] == [0.0, 0.5, 1.0, 1.5]  # the first bar as given
    last_bar = [n for n in notes if n.start >= 2.0]
    assert last_bar[0].start == 2.0 and last_bar[-1].dur >= 1.0 and len(last_bar) < 4
    assert notes[-1].pitch % 12 == 7
    ending = [[1.0, 0.5, 0.5], [0.5, 0.5, 1.0]]  # already ends long: kept as it is
    notes = write_phrase(shipped, chords, 0.0, 2, 2.0, "2/4", 7, "major", np.random.default_rng(0),
                         low=60, high=79, cadence="tonic", rhythm=ending)
    assert [n.start for n in notes] == [0.0, 1.0, 1.5, 2.0, 2.5, 3.0]


def test_density_picks_sparser_or_busier_corpus_rhythms(shipped: MelodyModel) -> None:
    chords = chords_for(0, "major", [0, 3, 4, 0], 4.0)

    def count(density: float) -> int:
        return sum(len(write_phrase(shipped, chords, 0.0, 4, 4.0, "4/4", 0, "major", np.random.default_rng(s),
                                    low=57, high=76, density=density, cadence=None)) for s in range(8))

    assert count(0.0) < count(1.0)


def test_leaps_wider_than_a_fifth_never_come_two_in_a_row(shipped: MelodyModel) -> None:
    chords = chords_for(0, "major", [0, 3, 4, 0, 5, 1, 4, 0], 4.0)
    for seed in range(10):
        pitches = [n.pitch for n in write_phrase(shipped, chords, 0.0, 8, 4.0, "4/4", 0, "major",
                                                 np.random.default_rng(seed), low=55, high=79, density=0.6,
                                                 cadence="tonic")]
        leaps = [abs(b - a) > 7 for a, b in zip(pitches, pitches[1:], strict=False)]
        assert not any(x and y for x, y in zip(leaps, leaps[1:], strict=False)), pitches


def test_write_phrase_refuses_an_unknown_metre_and_a_wrong_bar_length(shipped: MelodyModel) -> None:
    chords = chords_for(0, "major", [0], 4.0)
    with pytest.raises(InvalidInput):
        write_phrase(shipped, chords, 0.0, 1, 3.5, "7/8", 0, "major", np.random.default_rng(0), low=60, high=76)
    with pytest.raises(InvalidInput):
        write_phrase(shipped, chords, 0.0, 1, 3.0, "4/4", 0, "major", np.random.default_rng(0), low=60, high=76)


# -- vary_phrase ---------------------------------------------------------------------------


def test_variation_keeps_ends_and_harmony_and_changes_something(shipped: MelodyModel) -> None:
    chords = chords_for(0, "major", [0, 3, 4, 0], 4.0)
    notes = write_phrase(shipped, chords, 0.0, 4, 4.0, "4/4", 0, "major", np.random.default_rng(4),
                         low=57, high=76, density=0.6, cadence="tonic")
    assert vary_phrase(shipped, notes, chords, 0, "major", 0.0, np.random.default_rng(0), low=57, high=76) == notes
    for amount in (0.1, 0.5, 1.0):
        for seed in range(4):
            varied = vary_phrase(shipped, notes, chords, 0, "major", amount, np.random.default_rng(seed),
                                 low=57, high=76, bar_beats=4.0)
            assert varied != notes
            assert varied[0] == notes[0] and varied[-1] == notes[-1]
            assert_well_formed(varied, 0.0, 16.0, 57, 76)
            kept = {n.start: n.pitch for n in notes if n.start % 4.0 in (0.0, 2.0)}
            assert all(kept.get(n.start, n.pitch) == n.pitch for n in varied)  # strong beats untouched
            for n in varied:
                assert n.pitch % 12 in scale_pcs(0, "major")
    a = vary_phrase(shipped, notes, chords, 0, "major", 0.5, np.random.default_rng(9), low=57, high=76)
    b = vary_phrase(shipped, notes, chords, 0, "major", 0.5, np.random.default_rng(9), low=57, high=76)
    assert a == b
