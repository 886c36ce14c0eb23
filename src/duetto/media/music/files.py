"""Music in the formats people ask for on export: audio (WAV, OGG, MP3, FLAC) and MusicXML,
made from the stored MIDI so every export of a version sounds the same."""

from __future__ import annotations

from pathlib import Path

from duetto.errors import InvalidInput

FORMATS = ("wav", "ogg", "mp3", "flac", "musicxml")


def convert(midi: bytes, fmt: str, soundfont: Path | None = None) -> bytes:
    if fmt not in FORMATS:
        raise InvalidInput(f"music cannot be exported as {fmt!r}", hint=f"music formats: {', '.join(FORMATS)}")
    if fmt == "musicxml":
        from duetto.media.music.midi import read_midi
        from duetto.media.music.musicxml import to_musicxml

        return to_musicxml(read_midi(midi, "version.mid").piece)
    from duetto.media.music.audio import encode, render_audio

    wav = render_audio(midi, soundfont=soundfont).wav
    return wav if fmt == "wav" else encode(wav, fmt)  # type: ignore[arg-type]
