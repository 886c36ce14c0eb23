"""Music as files a person opens: MIDI out and back in, MusicXML, WAV/OGG, score and piano roll."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import mido
import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from duetto.errors import InvalidInput
from duetto.media.music import audio
from duetto.media.music.audio import encode, loudness, render_audio, synth_wav
from duetto.media.music.midi import from_midi, read_midi, to_midi
from duetto.media.music.musicxml import to_musicxml
from duetto.media.music.pictures import COLOURS, piano_roll, score_svg, svg_to_png
from duetto.media.music.score import Note, Piece, Section, Track
from duetto.media.music.theory import Chord, diatonic_chord

has_fluidsynth = shutil.which("fluidsynth") is not None and any(p.is_file() for p in audio.DEFAULT_SOUNDFONTS)


def band_piece(tonic: int = 2, mode: str = "minor", metre: tuple[int, int] = (4, 4), bars: int = 8,
               tempo: float = 120.0) -> Piece:
    """Flute tune, piano chords, bass and drums over i-VI-iv-v (or the pentatonic equivalent)."""
    bar = metre[0] * 4 / metre[1]
    chords = [Chord(*diatonic_chord(tonic, mode, (0, 5, 3, 4)[b % 4]), start=b * bar, dur=bar)
              for b in range(bars)]
    tune, comp, bass, kit = [], [], [], []
    for b, c in enumerate(chords):
        t0 = b * bar
        tune += [Note(t0, 72 + c.root % 12 - 12 * (c.root > 7), 1.0, 90), Note(t0 + 1, 74 + c.root % 5, 0.5, 80),
                 Note(t0 + 1.5 + 1 / 3, 76 + c.root % 3, 1 / 3, 80)]
        comp += [Note(t0, 60 + pc, bar, 70) for pc in sorted(c.pcs)]
        bass += [Note(t0, 36 + c.root, bar / 2, 85), Note(t0 + bar / 2, 36 + (c.root + 7) % 12, bar / 2, 80)]
        kit += [Note(t0 + i, 36 if i % 2 == 0 else 38, 0.25, 100) for i in range(int(bar))]
        kit += [Note(t0 + i + 0.5, 42, 0.25, 70) for i in range(int(bar))]
    return Piece(tempo=tempo, metre=metre, tonic=tonic, mode=mode, bars=bars, title="河边 by the river",
                 tracks=[Track("flute", 73, "melody", sorted(tune), pan=40),
                         Track("piano", 0, "chords", sorted(comp), volume=90),
                         Track("bass", 33, "bass", sorted(bass)),
                         Track("kit", 0, "drums", sorted(kit), drum=True, volume=110)],
                 chords=chords, sections=[Section("A", 0, bars // 2), Section("B", bars // 2, bars - bars // 2)])


@pytest.fixture(scope="module")
def piece() -> Piece:
    return band_piece()


@pytest.fixture(scope="module")
def rendered(piece: Piece) -> audio.Rendered:
    return render_audio(to_midi(piece))


# -- MIDI ----------------------------------------------------------------------------------------


def test_midi_has_a_conductor_and_one_track_per_part(piece: Piece) -> None:
    mid = mido.MidiFile(file=io.BytesIO(to_midi(piece)))
    assert mid.type == 1 and mid.ticks_per_beat == 480 and len(mid.tracks) == 5
    conductor = {m.type: m for m in mid.tracks[0]}
    assert conductor["set_tempo"].tempo == 500_000  # 120 bpm
    assert (conductor["time_signature"].numerator, conductor["time_signature"].denominator) == (4, 4)
    assert conductor["key_signature"].key == "Dm"
    assert [m.text for m in mid.tracks[0] if m.type == "marker"] == ["A", "B"]
    assert sum(m.type == "text" and m.text.startswith("duetto:{") for m in mid.tracks[0]) == 1
    names = [next(m.name for m in t if m.type == "track_name") for t in mid.tracks[1:]]
    assert names == ["flute", "piano", "bass", "kit"]
    programs = [[m.program for m in t if m.type == "program_change"] for t in mid.tracks[1:]]
    assert programs == [[73], [0], [33], []]  # no program change on the drum channel
    channels = [{m.channel for m in t if m.type == "note_on"} for t in mid.tracks[1:]]
    assert channels == [{0}, {1}, {2}, {9}]
    volumes = [[m.value for m in t if m.type == "control_change" and m.control == 7] for t in mid.tracks[1:]]
    assert volumes == [[100], [90], [100], [110]]


@pytest.mark.parametrize(("tonic", "mode", "key"), [(7, "zhi", "C"), (2, "zhi", "G"), (9, "yu", "C"), (2, "shang", "C"),
                                                    (6, "minor", "F#m"), (2, "dorian", "C"), (10, "major", "Bb")])
def test_key_signature_of_pentatonic_modes_is_their_gong_key(tonic: int, mode: str, key: str) -> None:
    mid = mido.MidiFile(file=io.BytesIO(to_midi(band_piece(tonic, mode, bars=2))))
    assert next(m.key for m in mid.tracks[0] if m.type == "key_signature") == key


def test_own_midi_round_trips_exactly(piece: Piece) -> None:
    reading = read_midi(to_midi(piece), "mine.mid")
    assert reading.ours and reading.notes == [] and reading.piece == piece
    zhi = band_piece(7, "zhi", (3, 4), bars=6, tempo=92.5)
    assert from_midi(to_midi(zhi)) == zhi


def test_damaged_duetto_data_is_read_as_a_plain_file(piece: Piece) -> None:
    reading = read_midi(to_midi(piece).replace(b'"mode":"minor"', b'"mode":"minox"'), "edited.mid")
    assert not reading.ours and reading.notes[0].startswith("its duetto data is damaged (unknown mode 'minox')")
    assert [t.role for t in reading.piece.tracks] == ["melody", "chords", "bass", "drums"]


def test_midi_bytes_are_deterministic(piece: Piece) -> None:
    assert to_midi(piece) == to_midi(piece.copy())


def test_times_off_the_tick_grid_come_back_on_it_and_write_the_same_bytes(piece: Piece) -> None:
    odd = piece.copy()
    odd.tracks[0].notes = [Note(0.1 + 0.2, 72, 0.2 * 3, 90), Note(1.0, 74, 0.7999999999999999, 90)]
    midi = to_midi(odd)
    back = read_midi(midi).piece
    assert back.tracks[0].notes == [Note(0.3, 72, 0.6, 90), Note(1.0, 74, 0.8, 90)]
    assert to_midi(back) == midi


def _human_midi(bpm: float = 100.0) -> bytes:
    """A type-1 file as a DAW writes it: no duetto data, 96 ticks a beat, 3/4 in G major."""
    mid = mido.MidiFile(type=1, ticks_per_beat=96)
    head = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm)),
                           mido.MetaMessage("time_signature", numerator=3, denominator=4),
                           mido.MetaMessage("key_signature", key="G")])
    mid.tracks.append(head)
    tune = [67, 71, 74, 72, 76, 72, 74, 66, 69, 67, 71, 67]  # G major, one note at a time

    def part(channel: int, program: int | None, chords: list[list[int]], beat: float, name: str) -> mido.MidiTrack:
        t = mido.MidiTrack([mido.MetaMessage("track_name", name=name)])
        if program is not None:
            t.append(mido.Message("program_change", channel=channel, program=program))
        gap = 0
        for pitches in chords:
            for i, p in enumerate(pitches):
                t.append(mido.Message("note_on", channel=channel, note=p, velocity=80, time=gap if i == 0 else 0))
                gap = 0
            for i, p in enumerate(pitches):  # note-on with velocity 0 as the release, as many files do
                t.append(mido.Message("note_on", channel=channel, note=p, velocity=0, time=int(beat * 96) if i == 0 else 0))
        return t

    mid.tracks.append(part(0, 73, [[p] for p in tune * 2], 1.0, "Lead"))
    harmony = [[55, 59, 62], [55, 60, 64], [54, 57, 62], [55, 59, 62]] * 2
    mid.tracks.append(part(1, 0, harmony, 3.0, "Keys"))
    mid.tracks.append(part(2, 32, [[43], [36], [38], [43]] * 2, 3.0, "Bass"))
    mid.tracks.append(part(9, None, [[36], [42], [38]] * 8, 1.0, "Drums"))
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def test_human_midi_is_read_with_guessed_roles_key_and_chords() -> None:
    reading = read_midi(_human_midi(), "song.mid")
    p = reading.piece
    assert not reading.ours and reading.repairs == []
    assert (p.tempo, p.metre, p.bars) == (100.0, (3, 4), 8)
    assert [(t.name, t.role, t.program, t.drum) for t in p.tracks] == [
        ("Lead", "melody", 73, False), ("Keys", "chords", 0, False), ("Bass", "bass", 32, False),
        ("Drums", "drums", 0, True)]
    assert (p.tonic, p.mode) == (7, "major")
    assert [c.symbol for c in p.chords[:4]] == ["G", "C", "D", "G"]
    assert len(p.chords) == 8 and p.sections == [Section("A", 0, 8)] and p.title == "song"
    assert any("guesses" in n for n in reading.notes) and any("G major" in n for n in reading.notes)


def test_absurd_tempo_is_clamped_and_said_and_strict_reading_refuses_it() -> None:
    reading = read_midi(_human_midi(bpm=400), "fast.mid")
    assert reading.piece.tempo == 208.0
    assert reading.repairs and "400" in reading.repairs[0] and reading.repairs[0] in reading.notes
    with pytest.raises(InvalidInput, match="fast.mid: its tempo 400 bpm"):
        from_midi(_human_midi(bpm=400), "fast.mid")


def test_sloppy_chunks_are_read_and_said() -> None:
    data = _human_midi()
    sloppy = data[:10] + (7).to_bytes(2, "big") + data[12:] + b"XFIH" + (2).to_bytes(4, "big") + b"ok"
    reading = read_midi(sloppy, "daw.mid")
    assert len(reading.piece.tracks) == 4
    assert reading.notes[:2] == ["the header promises 7 tracks; the file holds 5", "1 chunks that are not tracks were skipped"]


def _no_notes() -> bytes:
    mid = mido.MidiFile(type=1)
    mid.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500_000)]))
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "x.png", "x.png is not a MIDI file"),
    (b"", "empty.mid", "empty.mid is not a MIDI file"),
    (b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x00\x60MTrk\x00\x00\x00\x40\x00\x90\x3c", "cut.mid", "cut.mid is truncated"),
    (b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\xe7\x28MTrk\x00\x00\x00\x04\x00\xff\x2f\x00", "film.mid", "SMPTE"),
    (_no_notes(), "silent.mid", "silent.mid has no notes"),
    (b"MThd" + bytes(6_000_000), "huge.mid", "limited to 5,000,000"),
])
def test_bad_midi_is_a_clear_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_midi(data, name)


def test_truncated_duetto_midi_is_an_error_not_a_crash(piece: Piece) -> None:
    with pytest.raises(InvalidInput, match="truncated|corrupt"):
        read_midi(to_midi(piece)[:300], "half.mid")


# -- MusicXML ------------------------------------------------------------------------------------


def test_musicxml_parses_back_with_parts_key_metre_and_symbols(piece: Piece) -> None:
    from music21 import converter, expressions, harmony, key, meter

    xml = to_musicxml(piece)
    assert xml == to_musicxml(piece.copy())  # no date, no random ids
    score = converter.parseData(xml.decode("utf-8"), format="musicxml")
    assert [p.partName for p in score.parts] == ["flute", "piano", "bass"]  # drums left out
    assert score.parts[0].recurse().getElementsByClass(key.KeySignature).first().sharps == -1
    assert score.parts[0].recurse().getElementsByClass(meter.TimeSignature).first().ratioString == "4/4"
    assert len(score.parts[0].getElementsByClass("Measure")) == piece.bars
    symbols = [h.figure for h in score.parts[0].recurse().getElementsByClass(harmony.ChordSymbol)]
    assert symbols[:4] == ["Dm", "B-", "Gm", "Am"]
    marks = [r.content for r in score.parts[0].recurse().getElementsByClass(expressions.RehearsalMark)]
    assert marks == ["A", "B"]
    sounding = sum(n.quarterLength for n in score.parts[2].recurse().notes)
    assert sounding == pytest.approx(piece.beats)  # every bass beat is written, ties included


def test_articulation_is_played_not_written(piece: Piece) -> None:
    from music21 import converter, harmony

    detached = piece.copy()
    detached.tracks = [Track("oboe", 68, "melody", [Note(i * 0.5, 69 + i % 5, 0.4, 80) for i in range(8)]
                             + [Note(4 + i, 72, 1.15, 80) for i in range(4)])]  # staccato eighths, legato quarters
    score = converter.parseData(to_musicxml(detached).decode("utf-8"), format="musicxml")
    bars = [[(float(n.offset), n.quarterLength) for n in m.notesAndRests if not isinstance(n, harmony.ChordSymbol)]
            for m in score.parts[0].getElementsByClass("Measure")]
    assert bars[0] == [(i * 0.5, 0.5) for i in range(8)]
    assert bars[1] == [(float(i), 1.0) for i in range(4)] and bars[2] == [(0.0, 4.0)]  # the last note ends at its bar line


# -- audio ---------------------------------------------------------------------------------------


def test_wav_is_the_piece_long_audible_and_below_full_scale(piece: Piece, rendered: audio.Rendered) -> None:
    data, rate = sf.read(io.BytesIO(rendered.wav))
    assert rate == 44100 and data.shape[1] == 2
    assert piece.seconds <= len(data) / rate <= piece.seconds + 2.1
    level = loudness(rendered.wav)
    assert -40 < level["rms_dbfs"] < -6 and -1.5 < level["peak_dbfs"] < 0
    assert rendered.seconds == pytest.approx(len(data) / rate, abs=1e-3)


@pytest.mark.skipif(not has_fluidsynth, reason="needs fluidsynth and fluid-soundfont-gm")
def test_fluidsynth_renders_the_same_bytes_twice(piece: Piece, rendered: audio.Rendered) -> None:
    assert rendered.renderer.startswith("fluidsynth ") and "FluidR3_GM.sf2" in rendered.renderer
    assert render_audio(to_midi(piece)).wav == rendered.wav


@pytest.mark.parametrize("missing", ["soundfont", "fluidsynth"])
def test_without_fluidsynth_or_soundfont_the_built_in_synth_plays(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.delenv("DUETTO_SOUNDFONT", raising=False)
    if missing == "soundfont":
        monkeypatch.setattr(audio, "DEFAULT_SOUNDFONTS", (Path("/nonexistent/none.sf2"),))
    else:
        monkeypatch.setattr(audio, "FLUIDSYNTH", "no-such-fluidsynth-here")
    short = band_piece(bars=2)
    out = render_audio(to_midi(short))
    assert out.renderer.startswith("duetto's built-in synth (")
    assert ("not found" if missing == "fluidsynth" else "no General MIDI soundfont") in out.renderer
    assert loudness(out.wav)["rms_dbfs"] > -35 and out.seconds >= short.seconds
    assert synth_wav(short) == synth_wav(short)


def test_a_missing_soundfont_asked_for_is_an_error(piece: Piece) -> None:
    with pytest.raises(InvalidInput, match="soundfont .*none.sf2 does not exist"):
        render_audio(to_midi(piece), soundfont=Path("/nonexistent/none.sf2"))


def test_ogg_flac_and_mp3_encode_and_decode(rendered: audio.Rendered) -> None:
    ogg = encode(rendered.wav, "ogg")
    assert ogg[:4] == b"OggS" and ogg == encode(rendered.wav, "ogg")  # fixed stream serial
    original = sf.info(io.BytesIO(rendered.wav)).frames
    decoded, _ = sf.read(io.BytesIO(ogg))
    assert abs(len(decoded) - original) < 2048 and np.sqrt(np.mean(decoded ** 2)) > 0.01
    clip, rate = sf.read(io.BytesIO(rendered.wav), frames=22050)
    buf = io.BytesIO()
    sf.write(buf, clip, rate, format="WAV")
    for fmt in ("flac", "mp3"):
        back, _ = sf.read(io.BytesIO(encode(buf.getvalue(), fmt)))  # type: ignore[arg-type]
        assert abs(len(back) - 22050) < 2400
    with pytest.raises(InvalidInput, match="cannot be encoded as 'aac'"):
        encode(rendered.wav, "aac")  # type: ignore[arg-type]


# -- pictures ------------------------------------------------------------------------------------


def test_score_svg_has_staves_and_its_png_is_a_page(piece: Piece) -> None:
    svg = score_svg(to_musicxml(piece))
    assert svg.count('class="staff"') >= 3 and 'class="note"' in svg and "E050" in svg  # E050: the G clef
    png = Image.open(io.BytesIO(svg_to_png(svg, 1000)))
    assert png.width == 1000 and 300 < png.height < 4000
    ink = np.asarray(png.convert("L")) < 128
    assert 0.01 < ink.mean() < 0.3


def test_piano_roll_draws_each_part_in_its_colour(piece: Piece) -> None:
    img = Image.open(io.BytesIO(piano_roll(piece))).convert("RGB")
    assert img.width == 1200 and 300 < img.height < 900
    pixels = np.asarray(img).reshape(-1, 3)
    for colour in COLOURS[:3]:  # flute, piano, bass
        assert (pixels == colour).all(axis=1).sum() > 200


def test_scores_engrave_whichever_thread_asks() -> None:
    """verovio only works on the thread that imported it; a server's job threads must still get scores."""
    import threading

    from duetto.media.music.compose import compose
    from duetto.media.music.melody import MelodyModel
    from duetto.media.music.musicxml import to_musicxml
    from duetto.media.music.pictures import score_svg
    from duetto.spec import MusicSpec

    xml = to_musicxml(compose(MusicSpec(bars=4), 1, MelodyModel.load()))
    out: list[str] = [score_svg(xml)]
    for _ in range(2):
        worker = threading.Thread(target=lambda: out.append(score_svg(xml)))
        worker.start()
        worker.join()
    assert len(out) == 3 and all("<svg" in svg and "</svg>" in svg for svg in out)
