"""Music through the command line, the way a composer would use it: a brief, feedback in words,
edits of bars, an imported MIDI file, replay, export. Every assertion reads the real files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import mido
import pytest
import soundfile

from tests.e2e.test_cli import as_json, duetto, fails

pytestmark = pytest.mark.e2e

SEED_BRIEF = "一段充满活力的乐曲，节奏明快，旋律优美，具有跳跃感和动感"


def midi_of(version: dict) -> mido.MidiFile:
    return mido.MidiFile(version["path"])


def notes_by_track(mid: mido.MidiFile) -> dict[str, list[tuple[int, int]]]:
    """(absolute tick, pitch) of each note-on per named track."""
    out: dict[str, list[tuple[int, int]]] = {}
    for track in mid.tracks:
        tick, name, notes = 0, "", []
        for msg in track:
            tick += msg.time
            if msg.type == "track_name":
                name = msg.name
            elif msg.type == "note_on" and msg.velocity > 0:
                notes.append((tick, msg.note))
        if notes:
            out[name] = notes
    return out


def programs(mid: mido.MidiFile) -> list[int]:
    return [m.program for t in mid.tracks for m in t if m.type == "program_change"]


def tempo_bpm(mid: mido.MidiFile) -> float:
    return next(mido.tempo2bpm(m.tempo) for t in mid.tracks for m in t if m.type == "set_tempo")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    home = tmp_path_factory.mktemp("music") / "studio"
    payload = as_json(home, "new", SEED_BRIEF, "--media", "music", "-n", "2", "--seed", "3")
    return home, payload


def test_new_music_makes_midi_audio_score_and_roll(made: tuple[Path, dict]) -> None:
    _, payload = made
    assert len(payload["versions"]) == 2
    v = payload["versions"][0]
    assert v["ext"] == "mid" and v["mime"] == "audio/midi"
    mid = midi_of(v)
    plan = v["spec"]["music"]
    assert plan is not None and abs(tempo_bpm(mid) - plan["tempo"]) < 0.5
    assert len(notes_by_track(mid)) >= 3
    assert {"wav", "musicxml", "score.svg", "score.png", "roll.png"} <= set(v["files"])
    audio, rate = soundfile.read(v["files"]["wav"])
    seconds = len(audio) / rate
    assert abs(seconds - v["info"]["seconds"]) < 4.0
    rms = float((audio**2).mean() ** 0.5)
    assert rms > 0.01, "the audio is silent"
    assert "fluidsynth" in v["info"]["renderer"] or "built-in" in v["info"]["renderer"]
    ev = v["info"]["evaluation"]
    assert ev["in_scale"] >= 0.9
    assert midi_of(payload["versions"][1]).tracks != mid.tracks  # two drafts differ


def test_show_prints_the_measures_beside_the_corpus(made: tuple[Path, dict]) -> None:
    home, payload = made
    text = duetto(home, "show", payload["versions"][0]["id"]).stdout
    assert "bpm" in text and "corpus" in text and "in-scale" in text.lower().replace("_", "-")


def test_feedback_slower_solo_piano_keeps_the_tune(made: tuple[Path, dict]) -> None:
    home, payload = made
    parent = payload["versions"][0]
    child = as_json(home, "revise", parent["id"], "slower, solo piano")["versions"][0]
    mid = midi_of(child)
    assert tempo_bpm(mid) < tempo_bpm(midi_of(parent))
    assert set(programs(mid)) == {0}
    tune = lambda v: next(n for name, n in notes_by_track(midi_of(v)).items()  # noqa: E731
                          if name == next(t["name"] for t in v["info"]["tracks"] if t["role"] == "melody"))
    assert [p for _, p in tune(child)] == [p for _, p in tune(parent)]


def test_feedback_in_chinese_adds_an_erhu_and_brightens(made: tuple[Path, dict]) -> None:
    home, payload = made
    parent = payload["versions"][1]
    child = as_json(home, "revise", parent["id"], "加入二胡般的音色")["versions"][0]
    assert 110 in programs(midi_of(child))
    assert any("二胡" in t["name"] for t in child["info"]["tracks"])
    happier = as_json(home, "revise", parent["id"], "更欢快一些")["versions"][0]
    assert happier["spec"]["mood"]["valence"] > parent["spec"]["mood"]["valence"]
    assert happier["spec"]["music"]["tempo"] >= parent["spec"]["music"]["tempo"]


def test_continue_regenerate_reharmonise_vary_interpolate_and_replay(made: tuple[Path, dict]) -> None:
    home, payload = made
    a, b = payload["versions"]
    bars = a["info"]["bars"]
    longer = as_json(home, "music", "continue", a["id"], "--bars", "4", "--seed", "1")["versions"][0]
    assert longer["info"]["bars"] == bars + 4
    before, after = notes_by_track(midi_of(a)), notes_by_track(midi_of(longer))
    melody = next(t["name"] for t in a["info"]["tracks"] if t["role"] == "melody")
    assert after[melody][: len(before[melody])] == before[melody]  # what was there stays
    redone = as_json(home, "music", "regenerate", a["id"], "--bars", "3-4", "--seed", "2")["versions"][0]
    num, den = (int(x) for x in a["info"]["metre"].split("/"))
    ticks_per_bar = int(midi_of(a).ticks_per_beat * num * 4 / den)
    keep = lambda notes: [n for n in notes if not (2 * ticks_per_bar <= n[0] < 4 * ticks_per_bar)]  # noqa: E731
    new_tune = notes_by_track(midi_of(redone))[melody]
    assert keep(new_tune) == keep(before[melody]) and new_tune != before[melody]
    rehar = as_json(home, "music", "reharmonise", a["id"], "--seed", "4")["versions"][0]
    assert rehar["info"]["chords"] != a["info"]["chords"]
    assert notes_by_track(midi_of(rehar))[melody] == before[melody]
    varied = as_json(home, "vary", a["id"], "-n", "1", "--seed", "5")["versions"][0]
    assert varied["info"]["chords"] == a["info"]["chords"]
    assert notes_by_track(midi_of(varied))[melody] != before[melody]
    mixed = as_json(home, "music", "interpolate", a["id"], b["id"], "--t", "0.5")["versions"][0]
    assert mixed["parents"] == [a["id"], b["id"]] and mixed["ext"] == "mid"
    for v in (longer, redone, rehar, varied, mixed):
        report = as_json(home, "replay", v["id"])
        assert report["identical"] is True


def test_import_a_human_midi_and_keep_working_on_it(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(96)))
    track.append(mido.Message("program_change", program=73))
    theirs = [60, 62, 64, 65, 67, 65, 64, 62] * 4 + [60]
    for pitch in theirs:
        track.append(mido.Message("note_on", note=pitch, velocity=80, time=0))
        track.append(mido.Message("note_off", note=pitch, velocity=0, time=480))
    mid.tracks.append(track)
    path = tmp_path / "mine.mid"
    mid.save(path)
    first = as_json(home, "new", "my little flute tune", "--midi", str(path))["versions"][0]
    assert first["author_kind"] == "human" and first["operation"] == "import"
    assert Path(first["path"]).read_bytes() == path.read_bytes()
    assert first["spec"]["music"]["tonic"] == 0
    faster = as_json(home, "revise", first["id"], "faster, in D major")["versions"][0]
    moved = [p for notes in notes_by_track(midi_of(faster)).values() for _, p in notes]
    assert tempo_bpm(midi_of(faster)) > 96
    assert [p - 2 for p in moved] == theirs  # the person's tune, note for note, a tone higher
    more = as_json(home, "music", "continue", first["id"], "--bars", "4", "--seed", "1")["versions"][0]
    assert more["info"]["bars"] > first["info"]["bars"]
    credits = as_json(home, "credits", first["work_id"])
    assert json.dumps(credits, ensure_ascii=False).count("imported mine.mid") >= 1
    # a child import of an edited file
    edited = tmp_path / "edited.mid"
    mid.tracks[0].insert(2, mido.Message("note_on", note=72, velocity=90, time=0))
    mid.save(edited)
    child = as_json(home, "import", more["id"], str(edited))["versions"][0]
    assert child["parents"] == [more["id"]] and child["ext"] == "mid"


def test_bad_music_input_is_a_clear_error(tmp_path: Path, made: tuple[Path, dict]) -> None:
    home, payload = made
    png = tmp_path / "not.mid"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert "not a MIDI file" in fails(home, "new", "x", "--midi", str(png), code=2)
    cut = tmp_path / "cut.mid"
    cut.write_bytes(Path(payload["versions"][0]["path"]).read_bytes()[:60])
    assert "error:" in fails(home, "import", payload["versions"][0]["id"], str(cut), code=2)
    assert "outside the piece" in fails(home, "music", "regenerate", payload["versions"][0]["id"], "--bars", "90-99", code=2)
    assert "--bars" in fails(home, "music", "continue", payload["versions"][0]["id"], "--bars", "0", code=2)
    fast = as_json(home, "new", "a march at 900 bpm", "--media", "music", "-n", "1", "--param", "audio=none")
    assert fast["versions"][0]["spec"]["music"]["tempo"] == 208
    assert any("tempo" in n for n in fast["notes"] + fast["versions"][0]["spec"]["notes"])
    works_before = as_json(home, "works")["works"]
    fails(home, "new", "x", "--midi", str(png))
    no_font = fails(home, "new", "a waltz", "--media", "music", prefix=["env", "DUETTO_SOUNDFONT=/nowhere/gm.sf2"],
                    code=2)
    assert "soundfont /nowhere/gm.sf2 does not exist" in no_font
    assert as_json(home, "works")["works"] == works_before  # nothing stored


def test_export_music_formats(tmp_path: Path, made: tuple[Path, dict]) -> None:
    home, payload = made
    vid = payload["versions"][0]["id"]
    out = as_json(home, "export", vid, str(tmp_path / "out"), "--format", "ogg,flac,musicxml")["exported"]
    data, rate = soundfile.read(io.BytesIO(Path(out["ogg"]).read_bytes()))
    assert rate == 44100 and len(data) > rate * 5
    assert Path(out["musicxml"]).read_bytes().lstrip().startswith(b"<?xml")
    assert "music formats" in fails(home, "export", vid, str(tmp_path / "o2"), "--format", "pdf", code=2)


def test_one_brief_makes_a_painting_and_music_sharing_the_spec(tmp_path: Path) -> None:
    home = tmp_path / "studio"
    made = as_json(home, "new", "秋日黄昏，金色的落叶，宁静而温暖", "--media", "painting,music", "-n", "1",
                   "--size", "128", "--seed", "4", "--param", "audio=none")
    painting, tune = made["versions"]
    assert (painting["ext"], tune["ext"]) == ("png", "mid")
    assert painting["work_id"] == tune["work_id"]
    assert painting["spec"]["mood"] == tune["spec"]["mood"] and painting["spec"]["palette"] == tune["spec"]["palette"]
    # music made *for* the painting: a child of it in the same work, its mood carried over
    derived = as_json(home, "derive", painting["id"], "--media", "music", "--seed", "1", "--param", "audio=none")
    child = derived["versions"][0]
    assert child["parents"] == [painting["id"]] and child["ext"] == "mid"
    assert child["spec"]["mood"] == painting["spec"]["mood"]
    valence = child["spec"]["mood"]["valence"]
    bright = child["spec"]["music"]["mode"] in ("major", "mixolydian", "lydian", "gong", "zhi")
    if abs(valence) > 0.15:  # the painting's mood decides the mode
        assert bright == (valence > 0)
