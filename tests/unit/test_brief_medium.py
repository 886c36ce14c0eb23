"""read_medium: which medium (or set of media) a brief names, in Chinese and English."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from duetto.brief.medium import MediumReading, read_medium
from duetto.spec import MEDIA


@pytest.mark.parametrize(
    ("brief", "media"),
    [
        # poems: classical forms, 词牌, modern forms and plain names
        ("写一首七言绝句，描写江南春雨", ["poem"]),
        ("七绝，咏梅", ["poem"]),
        ("五律一首，写秋夜", ["poem"]),
        ("来一首律诗", ["poem"]),
        ("按如梦令的词牌，写昨夜的雨", ["poem"]),
        ("填一阕浣溪沙", ["poem"]),
        ("写一首现代诗", ["poem"]),
        ("一首关于母亲双手的诗", ["poem"]),
        ("a haiku about the first frost", ["poem"]),
        ("a sonnet for my wife", ["poem"]),
        ("a limerick about a cat", ["poem"]),
        ("write some verse about the sea", ["poem"]),
        ("a seven-character quatrain about plum blossoms", ["poem"]),
        ("Write a 五律 about a lonely boat", ["poem"]),
        ("poetry about trains", ["poem"]),
        # stories and scripts
        ("给五岁孩子的睡前故事：一只怕黑的小刺猬", ["story"]),
        ("一篇小说：退休的钟表匠", ["story"]),
        ("a fable about a fox who lost its shadow", ["story"]),
        ("a short story set in a lighthouse", ["story"]),
        ("a fairy tale about a glass mountain", ["story"]),
        ("写一个短剧剧本：婚礼前夜", ["script"]),
        ("话剧片段：老茶馆里的最后一天", ["script"]),
        ("a screenplay about two astronauts", ["script"]),
        ("write a scene where a waiter meets a ghost", ["script"]),
        ("a slapstick scene: a wedding cake and a dog", ["script"]),
        ("a comedy sketch about a robot chef", ["script"]),
        # music: names, forms of music, instruments as the subject, tempo and key words
        ("一首悲伤的钢琴曲，慢板，小调", ["music"]),
        ("an upbeat waltz for strings", ["music"]),
        ("二胡独奏，月夜思乡", ["music"]),
        ("古筝曲，高山流水", ["music"]),
        ("用琵琶演奏", ["music"]),
        ("进行曲风格的运动会配乐", ["music"]),
        ("一首摇篮曲", ["music"]),
        ("唱一首歌给妈妈", ["music"]),
        ("a nocturne for piano, moonlight on water", ["music"]),
        ("a solo cello piece, slow and mournful", ["music"]),
        ("something for string quartet", ["music"]),
        ("a march for a state funeral", ["music"]),
        ("an upbeat disco track for a roller rink", ["music"]),
        ("a lazy Sunday morning tune", ["music"]),
        ("lo-fi beats，适合深夜写作业", ["music"]),
        ("slow, in D minor, 60 bpm", ["music"]),
        ("慢板，小调，悲伤", ["music"]),
        # paintings
        ("一幅水墨山水", ["painting"]),
        ("画一只猫", ["painting"]),
        ("an oil painting of a harbour", ["painting"]),
        ("paint a sunset over the sea", ["painting"]),
        ("a watercolour of tulips", ["painting"]),
        ("a calm seascape", ["painting"]),
    ],
)
def test_a_brief_names_its_medium(brief: str, media: list[str]) -> None:
    reading = read_medium(brief)
    assert reading.media == media, reading.describe()
    assert not reading.defaulted
    assert reading.words and all(w in brief for w in reading.words)


@pytest.mark.parametrize(
    ("brief", "media"),
    [
        ("a painting and a poem", ["painting", "poem"]),
        ("a painting and a poem about the first snow", ["painting", "poem"]),
        ("配一段音乐和一首诗", ["music", "poem"]),
        ("画一幅画再配一首诗", ["painting", "poem"]),
        ("写一首诗，再画一幅雪中的梅花", ["poem", "painting"]),
        ("a poem and a piece for solo piano about rain", ["poem", "music"]),
        ("write a poem, then paint it: a heron in the reeds", ["poem", "painting"]),
        ("a song and a bedtime story about a sleepy whale", ["music", "story"]),
        ("a painting as well as a poem", ["painting", "poem"]),
        ("a poem set to music", ["poem", "music"]),
    ],
)
def test_sets_keep_the_order_they_are_named_in(brief: str, media: list[str]) -> None:
    assert read_medium(brief).media == media


@pytest.mark.parametrize(
    ("brief", "media"),
    [
        # a word that only contains a medium word
        ("诗意的画", ["painting"]),
        ("诗意的画：远山和孤舟", ["painting"]),
        ("a poetic painting", ["painting"]),
        ("a musical painting of swirling colours", ["painting"]),
        ("a painting of a musician", ["painting"]),
        ("画一个在街头拉小提琴的女孩", ["painting"]),
        ("一首有画面感的诗，写雨后的山村", ["poem"]),
        ("写一首关于画家的诗", ["poem"]),
        ("线条要有曲线美的画", ["painting"]),
        ("a two-story house in the rain", ["painting"]),
        # similes name no medium
        ("a sunset like a song", ["painting"]),
        ("像一首歌一样温柔的晚霞", ["painting"]),
        ("an evening that reads like a poem, lanterns on the river", ["painting"]),
        ("a song-like poem", ["poem"]),
        ("I would like a song about rain", ["music"]),
        ("像梵高那样的画", ["painting"]),  # 那样的: the 画 is what is asked for
        # what another name is about
        ("write a poem about a painting", ["poem"]),
        ("write a poem about a painting of the sea", ["poem"]),
        ("a song about an old story", ["music"]),
        ("music for a painting exhibition opening", ["music"]),
        ("a painting of a musician playing a song", ["painting"]),
        ("关于画的诗", ["poem"]),
        ("一幅讲故事的画：老人和海", ["painting"]),
        ("写一首诗，描写一幅画", ["poem"]),
        ("为这首诗配一幅画：床前明月光", ["painting"]),
        ("写一首关于一首老歌的诗", ["poem"]),
        ("inspired by a song, paint the city at night", ["painting"]),
        ("这首诗配一段音乐", ["music"]),  # 这首诗 is already there: the music is asked for
        ("my poem, set to music", ["music"]),
        ("给这幅画写一首诗", ["poem"]),
        # words that are not the medium here
        ("a peaceful winter scene with a frozen pond", ["painting"]),
        ("a track through the woods", ["painting"]),
        ("a March morning in Paris", ["painting"]),
        ("polka dots and stripes", ["painting"]),
        ("a novel idea: paint the sky green", ["painting"]),
        ("a picture book story for kids", ["story"]),
    ],
)
def test_traps_do_not_change_the_medium(brief: str, media: list[str]) -> None:
    assert read_medium(brief).media == media, read_medium(brief).describe()


@pytest.mark.parametrize("brief", ["在秋日的黄昏，一片金色的落叶", "a lighthouse in the fog", "xyzzy", "  ", "…"])
def test_nothing_named_is_painting_by_default_with_no_words(brief: str) -> None:
    reading = read_medium(brief)
    assert reading == MediumReading(media=["painting"], words=[], defaulted=True)


def test_hints_decide_only_when_nothing_is_named() -> None:
    assert read_medium("一幅江南春雨").media == ["painting"]  # 一幅: a measure word for pictures
    assert read_medium("一幅江南春雨").words == ["一幅"]
    assert read_medium("一首诗，慢板").media == ["poem"]  # the name wins over the tempo word
    assert read_medium("andante, in a major key").media == ["music"]


def test_words_are_as_written_in_the_brief() -> None:
    assert read_medium("A HAIKU about frogs").words == ["HAIKU"]
    assert read_medium("An Upbeat Waltz For Strings").words == ["Waltz", "For Strings"]


def test_describe_is_one_line_for_people() -> None:
    assert read_medium("写一首七言绝句，描写江南春雨").describe() == 'poem (from "七言绝句")'
    assert read_medium("a painting and a poem").describe() == 'painting + poem (from "painting", "poem")'
    assert read_medium("sunset").describe() == "painting (nothing in the brief named another medium)"


def test_media_are_spec_media() -> None:
    briefs = ["诗", "story", "剧本", "song", "画", "a painting and a poem and a song and a story and a script"]
    for brief in briefs:
        assert set(read_medium(brief).media) <= set(MEDIA)
    assert read_medium(briefs[-1]).media == ["painting", "poem", "music", "story", "script"]


def test_reading_is_fast_and_loads_neither_jieba_nor_a_model() -> None:
    code = (
        "import sys, time\n"
        "from duetto.brief.medium import read_medium\n"
        "read_medium('写一首七言绝句，描写江南春雨')\n"
        "t = time.perf_counter()\n"
        "for _ in range(100): read_medium('画一幅画再配一首诗，主题是秋天的芦苇, and a waltz for strings')\n"
        "print((time.perf_counter() - t) / 100)\n"
        "print(sorted(m for m in ('jieba', 'llama_cpp') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    per_call, loaded = out.stdout.splitlines()
    assert float(per_call) < 0.02
    assert loaded == "[]"


def test_reading_is_deterministic() -> None:
    brief = "配一段音乐和一首诗，写海上日出"
    started = time.perf_counter()
    assert read_medium(brief) == read_medium(brief)
    assert time.perf_counter() - started < 1.0
