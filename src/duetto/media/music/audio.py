"""Sound: MIDI rendered to WAV, encoded to OGG/MP3/FLAC, and measured.

FluidSynth (a separate program, LGPL-2.1) plays the MIDI through a General MIDI soundfont,
FluidR3_GM by default. It renders the same samples on every run (reverb and chorus included, one
CPU core), and duetto writes the WAV itself, so the same MIDI always gives the same bytes. When
FluidSynth or every soundfont is missing, a small built-in synthesiser plays the piece instead,
and the renderer's description says so; a soundfont named explicitly but missing is an error.

Every render is trimmed to the music plus at most ~2 s of release and scaled so its peak sits at
-1 dBFS: versions compare by ear without anyone touching a volume knob.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import mido
import numpy as np
import soundfile as sf

from duetto.errors import EngineFailure, InvalidInput
from duetto.media.music.midi import read_midi
from duetto.media.music.score import Note, Piece, Track

FLUIDSYNTH = "fluidsynth"
DEFAULT_SOUNDFONTS = (Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"), Path("/usr/share/sounds/sf2/default-GM.sf2"))
PEAK_DBFS = -1.0
SILENT_DBFS = -60.0  # quieter than this at the end counts as silence
RELEASE_S = 2.0  # at most this much sound is kept after the last note ends
FADE_S = 0.02  # a cut that lands on sound fades out this fast (no click)


@dataclass(frozen=True)
class Rendered:
    wav: bytes  # 16-bit PCM stereo
    renderer: str  # "fluidsynth 2.3.1 with FluidR3_GM.sf2"
    seconds: float


def render_audio(midi: bytes, *, sample_rate: int = 44100, soundfont: Path | None = None) -> Rendered:
    """The MIDI as a WAV: FluidSynth with a GM soundfont, else duetto's built-in synth."""
    if not 8000 <= sample_rate <= 192_000:
        raise InvalidInput(f"a sample rate of {sample_rate} Hz is not sensible", hint="use 44100 or 48000")
    font = find_soundfont(soundfont)
    exe = shutil.which(FLUIDSYNTH)
    end = _music_seconds(midi)
    if exe is None or font is None:
        why = "fluidsynth not found" if exe is None else "no General MIDI soundfont found"
        wav = synth_wav(read_midi(midi, "render.mid").piece, sample_rate=sample_rate)
        return Rendered(wav=wav, renderer=f"duetto's built-in synth ({why})", seconds=_seconds(wav))
    samples, rate, version = _fluidsynth(exe, font, midi, sample_rate, timeout=60.0 + 2.0 * end)
    wav = _finish(samples, rate, end)
    return Rendered(wav=wav, renderer=f"fluidsynth {version} with {font.resolve().name}", seconds=_seconds(wav))


def find_soundfont(explicit: Path | None = None) -> Path | None:
    """The .sf2 to play with: the one asked for (which must exist), the configured one, else
    the Debian fluid-soundfont-gm; None when there is none."""
    if explicit is None:
        from duetto.settings import Settings

        explicit = Settings().soundfont
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise InvalidInput(f"soundfont {path} does not exist",
                               hint="point DUETTO_SOUNDFONT at a General MIDI .sf2, or unset it for the default")
        return path
    return next((p for p in DEFAULT_SOUNDFONTS if p.is_file()), None)


def _fluidsynth(exe: str, font: Path, midi: bytes, sample_rate: int, timeout: float) -> tuple[np.ndarray, int, str]:
    """Fast-render to a float WAV in a temp dir: no shell, no MIDI input, no audio driver."""
    with tempfile.TemporaryDirectory(prefix="duetto-render-") as tmp:
        src, out = Path(tmp) / "in.mid", Path(tmp) / "out.wav"
        src.write_bytes(midi)
        cmd = [exe, "-ni", "-F", str(out), "-T", "wav", "-O", "float", "-r", str(sample_rate),
               "-o", "synth.cpu-cores=1", str(font), str(src)]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise EngineFailure(f"fluidsynth took longer than {timeout:.0f} s to render") from None
        said = (run.stdout + run.stderr).strip()
        if "Failed to load SoundFont" in said or "not a SoundFont" in said:
            raise InvalidInput(f"fluidsynth cannot load the soundfont {font}", hint="use a General MIDI .sf2 file")
        if run.returncode != 0 or not out.is_file():
            last_line = said.splitlines()[-1] if said else "no output"
            raise EngineFailure(f"fluidsynth failed (exit {run.returncode}): {last_line}")
        samples, rate = sf.read(str(out), dtype="float64", always_2d=True)
    found = re.search(r"version\s+([\d.]+)", said)
    return samples, int(rate), found.group(1) if found else "(unknown version)"


def _music_seconds(midi: bytes) -> float:
    """How long the MIDI plays, to its last end-of-track, following tempo changes."""
    try:
        return float(mido.MidiFile(file=io.BytesIO(midi)).length)
    except (EOFError, OSError, ValueError, KeyError, IndexError) as e:
        raise InvalidInput(f"the MIDI to render is damaged: {e or 'it is truncated'}") from None


def _finish(samples: np.ndarray, sample_rate: int, music_s: float) -> bytes:
    """Trim to the music plus what still sounds (at most RELEASE_S more), peak at -1 dBFS,
    16-bit stereo WAV."""
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[1] == 1:
        x = np.repeat(x, 2, axis=1)
    peak = float(np.abs(x).max()) if x.size else 0.0
    if peak > 0:
        x = x * (10 ** (PEAK_DBFS / 20) / peak)
    loud = np.nonzero(np.abs(x).max(axis=1) > 10 ** (SILENT_DBFS / 20))[0]
    last = (loud[-1] + 1) if loud.size else 0
    music_end = int(round(music_s * sample_rate))
    end = max(music_end, min(last + int(0.05 * sample_rate), music_end + int(RELEASE_S * sample_rate)))
    if end > len(x):  # the renderer stopped early: pad the rests at the end with silence
        x = np.vstack([x, np.zeros((end - len(x), 2))])
    x = x[:end]
    if last > end:  # still sounding at the cut: fade out rather than click
        n = min(len(x), int(FADE_S * sample_rate))
        x[len(x) - n:] *= np.linspace(1.0, 0.0, n)[:, None]
    buf = io.BytesIO()
    sf.write(buf, x, sample_rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def _seconds(wav: bytes) -> float:
    info = sf.info(io.BytesIO(wav))
    return round(info.frames / info.samplerate, 3)


# -- encoding and measuring ----------------------------------------------------------------------

ENCODINGS = {"ogg": ("OGG", "VORBIS"), "mp3": ("MP3", "MPEG_LAYER_III"), "flac": ("FLAC", "PCM_16")}
OGG_SERIAL = 0x64756574  # "duet": a fixed stream serial, so the same WAV gives the same OGG bytes


def encode(wav: bytes, fmt: Literal["ogg", "mp3", "flac"]) -> bytes:
    """OGG Vorbis, MP3 or FLAC through libsndfile (bundled in the soundfile wheel)."""
    if fmt not in ENCODINGS:
        raise InvalidInput(f"audio cannot be encoded as {fmt!r}", hint=f"choose one of {', '.join(ENCODINGS)}")
    container, subtype = ENCODINGS[fmt]
    if container not in sf.available_formats() or subtype not in sf.available_subtypes(container):
        raise InvalidInput(f"this libsndfile ({sf.__libsndfile_version__}) cannot write {fmt.upper()}",
                           hint="export WAV, OGG or FLAC instead, or install a libsndfile built with it")
    data, rate = _read(wav)
    buf = io.BytesIO()
    sf.write(buf, data, rate, format=container, subtype=subtype)
    out = buf.getvalue()
    return _fixed_ogg_serial(out) if fmt == "ogg" else out


def _read(wav: bytes) -> tuple[np.ndarray, int]:
    try:
        data, rate = sf.read(io.BytesIO(wav), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as e:
        raise InvalidInput(f"not audio duetto can read: {e}") from None
    return data, int(rate)


def _ogg_crc_table() -> tuple[int, ...]:
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else r << 1
            r &= 0xFFFFFFFF
        table.append(r)
    return tuple(table)


OGG_CRC = _ogg_crc_table()


def _fixed_ogg_serial(ogg: bytes) -> bytes:
    """libsndfile picks a random Ogg stream serial; set a fixed one and re-checksum each page
    (header: serial at bytes 14-17, CRC at 22-25, segment count at 26, then the lacing table)."""
    out = bytearray(ogg)
    at = 0
    while at + 27 <= len(out) and out[at:at + 4] == b"OggS":
        segments = out[at + 26]
        size = 27 + segments + sum(out[at + 27:at + 27 + segments])
        out[at + 14:at + 18] = OGG_SERIAL.to_bytes(4, "little")
        out[at + 22:at + 26] = bytes(4)
        crc = 0
        for byte in out[at:at + size]:
            crc = ((crc << 8) & 0xFFFFFFFF) ^ OGG_CRC[((crc >> 24) ^ byte) & 0xFF]
        out[at + 22:at + 26] = crc.to_bytes(4, "little")
        at += size
    return bytes(out)


def loudness(wav: bytes) -> dict[str, float]:
    """Peak and RMS level in dBFS and the length: listening by measuring."""
    data, rate = _read(wav)
    x = data.astype(np.float64)
    peak = float(np.abs(x).max()) if x.size else 0.0
    rms = float(np.sqrt(np.mean(x * x))) if x.size else 0.0
    db = lambda v: round(20 * math.log10(v), 2) if v > 0 else -120.0  # noqa: E731
    return {"peak_dbfs": db(peak), "rms_dbfs": db(rms), "seconds": round(len(x) / rate, 3)}


# -- the built-in synthesiser --------------------------------------------------------------------

PLUCKED = {0, 1, 3, 13, 14}  # GM families: piano, chromatic percussion, guitar, ethnic, percussive
BASS_FAMILY = 4
LEAD_S = 0.01  # attack of plucked sounds


def synth_wav(piece: Piece, *, sample_rate: int = 44100) -> bytes:
    """The piece through a tiny additive synthesiser: plucked decays for pianos and guitars,
    sustained tones with an envelope for strings, winds and pads, a round bass, and sine and
    noise drums. Not beautiful; always available, and the same piece gives the same bytes."""
    spb = 60.0 / piece.tempo  # seconds per beat
    end_s = max([piece.seconds] + [(n.start + n.dur) * spb for t in piece.tracks for n in t.notes])
    mix = np.zeros((int((end_s + RELEASE_S + 0.5) * sample_rate), 2))
    rng = np.random.default_rng(0)  # drum noise: fixed seed, consumed in a fixed order
    for track in piece.tracks:
        gain = (track.volume / 127) ** 2
        angle = track.pan / 127 * math.pi / 2
        left, right = math.cos(angle) * gain, math.sin(angle) * gain
        for note in track.notes:
            sound = _drum(note, sample_rate, rng) if track.drum else _tone(track, note, spb, sample_rate)
            at = int(round(note.start * spb * sample_rate))
            sound = sound[: max(0, len(mix) - at)]
            mix[at:at + len(sound), 0] += sound * left
            mix[at:at + len(sound), 1] += sound * right
    return _finish(mix, sample_rate, piece.seconds)


def _tone(track: Track, note: Note, spb: float, sr: int) -> np.ndarray:
    family = (track.program // 8) % 16
    f0 = 440.0 * 2 ** ((note.pitch - 69) / 12)
    held = max(0.03, note.dur * spb)
    amp = 0.25 * (note.vel / 127) ** 1.6
    if family in PLUCKED or family == BASS_FAMILY:
        decay = (1.6 if family == BASS_FAMILY else 1.2) * (262.0 / f0) ** 0.35  # low notes ring longer
        length = min(held + 0.15, 6 * decay)
        t = np.arange(int(length * sr)) / sr
        weights = (1.0, 0.5, 0.15) if family == BASS_FAMILY else (1.0, 0.55, 0.3, 0.18, 0.1, 0.06)
        wave = sum(w * np.sin(2 * np.pi * f0 * k * t) * np.exp(-t * k / decay)
                   for k, w in enumerate(weights, start=1) if f0 * k < sr * 0.45)
        env = np.minimum(1.0, t / LEAD_S) * np.where(t < held, 1.0, np.exp(-(t - held) / 0.08))
        return amp * wave * env
    attack = 0.12 if family in (5, 6, 11) else 0.04  # strings, ensembles and pads swell in
    release = 0.35 if family in (5, 6, 11) else 0.15
    t = np.arange(int((held + release * 4) * sr)) / sr
    vibrato = 1 + 0.003 * np.sin(2 * np.pi * 5.0 * t) * np.minimum(1.0, t / 0.4)
    phase = 2 * np.pi * f0 * np.cumsum(vibrato) / sr
    if family in (2, 9):  # organ, pipe: near-sine
        weights = (1.0, 0.3, 0.1)
    elif family == 8:  # reed: odd harmonics
        weights = (1.0, 0.05, 0.35, 0.05, 0.2, 0.03, 0.1)
    else:  # strings, brass, synths: saw-like
        weights = tuple(1 / k for k in range(1, 9))
    wave = sum(w * np.sin(phase * k) for k, w in enumerate(weights, start=1) if f0 * k < sr * 0.45)
    env = np.minimum(1.0, t / attack) * np.where(t < held, 0.8 + 0.2 * np.exp(-t / 0.2),
                                                 0.8 * np.exp(-(t - held) / release))
    return amp * 0.6 * wave * env


def _drum(note: Note, sr: int, rng: np.random.Generator) -> np.ndarray:
    """GM percussion keys as sine sweeps (kick, toms) and shaped noise (snare, hats, cymbals)."""
    amp = 0.35 * (note.vel / 127) ** 1.4
    key = note.pitch
    if key in (35, 36, 41, 43, 45, 47, 48, 50):  # kick and toms: a falling sine
        top, bottom, decay = (110.0, 45.0, 0.25) if key in (35, 36) else (80.0 + 6 * (key - 41), 60.0 + 5 * (key - 41), 0.3)
        t = np.arange(int(decay * 5 * sr)) / sr
        freq = bottom + (top - bottom) * np.exp(-t / 0.04)
        return amp * 1.4 * np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-t / decay)
    if key in (37, 38, 39, 40):  # snare, side stick, clap: noise and a little tone
        t = np.arange(int(0.6 * sr)) / sr
        noise = rng.standard_normal(len(t))
        return amp * (0.35 * noise + 0.5 * np.sin(2 * np.pi * 185 * t)) * np.exp(-t / 0.1)
    decay = {42: 0.04, 44: 0.05, 46: 0.3, 49: 1.0, 51: 0.6, 52: 1.0, 55: 0.8, 57: 1.0, 59: 0.6}.get(key, 0.08)
    t = np.arange(int(decay * 5 * sr)) / sr
    white = rng.standard_normal(len(t) + 1)
    noise = white[1:] - 0.6 * white[:-1]  # gently high-passed: bright like a cymbal, not a hiss
    return amp * 0.18 * noise * np.exp(-t / decay)
