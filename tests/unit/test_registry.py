"""The registry: published works found again by hash or likeness when their manifest is gone,
and a warning before publishing a near copy of something published or imported."""

from __future__ import annotations

import io

import mido
import numpy as np
import pytest
from PIL import Image

from duetto.rights import fingerprint
from duetto.rights.fingerprint import Fingerprint, hamming, jaccard
from duetto.rights.nearest import Entry, Index
from duetto.store.publications import Publications
from duetto.studio import Studio, operations
from duetto.studio.kernel import Upload
from duetto.studio.publish import (
    NearDuplicate,
    PublishRequest,
    VerifyRequest,
    publish,
    verify,
)
from tests.unit.test_publish import painting, poem_file


def jpeg(data: bytes, quality: int = 70, scale: float = 1.0) -> bytes:
    im = Image.open(io.BytesIO(data)).convert("RGB")
    if scale != 1.0:
        im = im.resize((int(im.width * scale), int(im.height * scale)))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)  # no metadata: the manifest is stripped with the PNG chunks
    return buf.getvalue()


def tune(pitches: list[int]) -> bytes:
    track = mido.MidiTrack()
    for p in pitches:
        track += [mido.Message("note_on", note=p, velocity=80, time=0), mido.Message("note_off", note=p, time=240)]
    buf = io.BytesIO()
    mido.MidiFile(tracks=[track]).save(file=buf)
    return buf.getvalue()


def test_keys_survive_re_encoding_and_tell_different_works_apart() -> None:
    rng = np.random.default_rng(3)
    a, b = (Image.fromarray(rng.integers(0, 255, (6, 6, 3), dtype=np.uint8)).resize((256, 256)) for _ in range(2))
    png = io.BytesIO()
    a.save(png, "PNG")
    other = io.BytesIO()
    b.save(other, "PNG")
    key = fingerprint.image(png.getvalue()).phash
    assert hamming(key, fingerprint.image(jpeg(png.getvalue(), 60, 0.5)).phash) <= 6  # type: ignore[arg-type]
    assert hamming(key, fingerprint.image(other.getvalue()).phash) > 16  # type: ignore[arg-type]
    one = fingerprint.text("月落乌啼霜满天，江枫渔火对愁眠。姑苏城外寒山寺，夜半钟声到客船。")
    edited = fingerprint.text("月落乌啼霜满天，江枫渔火对愁眠！姑苏城外寒山寺，夜半灯影照客船。")
    far = fingerprint.text("春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。")
    assert jaccard(one.minhash, edited.minhash) >= 0.5 > jaccard(one.minhash, far.minhash)  # type: ignore[arg-type]
    melody = [60, 62, 64, 65, 67, 65, 64, 62, 60, 67, 69, 67]
    moved = fingerprint.music(tune([p + 5 for p in melody]))  # the same tune a fourth up
    assert jaccard(fingerprint.music(tune(melody)).minhash, moved.minhash) == 1.0  # type: ignore[arg-type]


def test_the_index_finds_the_nearest_of_many_and_says_how_near() -> None:
    rng = np.random.default_rng(1)
    keys = rng.integers(0, 2**62, size=5000, dtype=np.int64).astype(np.uint64)
    index = Index()
    index.extend("image", [Entry(id=f"w{i}", title=f"w{i}", source="registry") for i in range(5000)], keys)
    (best, second) = index.nearest(Fingerprint(kind="image", phash=int(keys[1234]) ^ 0b101), k=2)  # 2 bits flipped
    assert best.id == "w1234" and best.distance == round(2 / 64, 4) and best.near and not second.near
    texts = Index()
    texts.add(Entry(id="poem", title="p", source="registry"),
              fingerprint.text("the moon hangs low over the falling leaves tonight"))
    assert texts.nearest(fingerprint.text("a storm at sea, the gulls are crying, nobody is home")) == []
    with pytest.raises(ValueError, match="shape"):
        texts.extend("text", [Entry(id="x", title="x", source="registry")], np.zeros((1, 3), dtype=np.uint32))


def test_a_stripped_recompressed_picture_is_found_in_the_registry(studio: Studio) -> None:
    v = painting(studio).versions[0]
    result = publish(studio, PublishRequest(version=v.id, licence="CC-BY-4.0"))
    assert result.likeness.kind == "image" and result.likeness.warnings == []
    signed = next(f for f in result.publication.files if f.ext == "png")
    copy = jpeg(studio.blobs.read(signed.signed_sha256, "png"), quality=75)
    seen = verify(studio, VerifyRequest(file=Upload(name="found-online.jpg", data=copy)))
    assert seen.status == "registered" and seen.exit_code == 14
    assert seen.registry_match is not None and seen.registry_match.how == "phash"
    assert seen.registry_match.version == v.id and seen.registry_match.distance is not None
    assert seen.registry_match.distance <= 10 / 64 and "found by its likeness" in seen.summary
    other = painting_of(studio, "a red square, geometric")
    assert verify(studio, VerifyRequest(file=Upload(name="x.png", data=other))).status == "no_manifest"


def painting_of(studio: Studio, brief: str) -> bytes:
    v = operations.new(studio, operations.NewRequest(brief=brief, variants=1, seed=9,
                                                     params={"width": 96, "height": 96})).versions[0]
    return studio.blobs.read(v.sha256, v.ext)


def test_publishing_a_near_copy_of_a_published_work_warns_and_names_it(studio: Studio) -> None:
    first = painting(studio).versions[0]
    publish(studio, PublishRequest(version=first.id, title="Dawn"))
    elsewhere = operations.new(studio, operations.NewRequest(brief="a quiet harbour", variants=1, seed=2,
                                                             params={"width": 96, "height": 96})).versions[0]
    copied = jpeg(studio.blobs.read(first.sha256, "png"), quality=85)
    mine = operations.import_edit(studio, operations.ImportRequest(
        version=elsewhere.id, file=Upload(name="mine.jpg", data=copied))).versions[0]
    with pytest.raises(NearDuplicate, match="Dawn") as refused:
        publish(studio, PublishRequest(version=mine.id, title="Harbour"))
    assert "allow_similar" in (refused.value.hint or "") and Publications(studio.repo).of_version(mine.id) is None
    second = publish(studio, PublishRequest(version=mine.id, title="Harbour", allow_similar=True))
    (warning,) = second.likeness.warnings
    assert "Dawn" in warning and first.id[:10] in warning and "bits apart" in warning
    assert second.likeness.matches[0].version == first.id and second.likeness.matches[0].near


def test_a_poem_with_one_line_changed_and_no_sidecar_is_found_by_its_text(studio: Studio) -> None:
    vid = poem_file(studio, "# 秋夜\n\n月落乌啼霜满天\n江枫渔火对愁眠\n姑苏城外寒山寺\n夜半钟声到客船\n")
    publish(studio, PublishRequest(version=vid))
    changed = "# 秋夜\n\n月落乌啼霜满天\n江枫渔火对愁眠\n姑苏城外寒山寺\n夜半灯影照客船\n".encode()
    seen = verify(studio, VerifyRequest(file=Upload(name="秋夜.md", data=changed)))
    assert seen.status == "registered" and seen.registry_match is not None
    assert seen.registry_match.how == "text" and seen.registry_match.version == vid


def test_another_projects_imports_are_not_compared_or_named(studio: Studio) -> None:
    from duetto.settings import Settings

    mine = painting(studio).versions[0]
    other = Studio(Settings(home=studio.settings.home, user="ben", project="elsewhere"))
    theirs = operations.new(other, operations.NewRequest(brief="a quiet harbour", seed=2,
                                                         params={"width": 96, "height": 96})).versions[0]
    operations.import_edit(other, operations.ImportRequest(
        version=theirs.id, file=Upload(name="copy.jpg", data=jpeg(studio.blobs.read(mine.sha256, "png")))))
    other.close()
    result = publish(studio, PublishRequest(version=mine.id))  # a near copy sits in a project ada cannot see
    assert result.likeness.warnings == [] and "imports (0)" in result.likeness.checked
