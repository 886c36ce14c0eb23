"""The reference corpus, on a tiny chinese-poetry look-alike package written by the tests.

The last test runs on the real npm package when it is on this machine (``$DUETTO_POETRY_CORPUS``
or /tmp/cp/package) and is skipped otherwise.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from duetto.errors import InvalidInput, NotFound
from duetto.media.text.corpus import (
    INDEX_NAME,
    Corpus,
    CorpusMissing,
    build_index,
    default_cache_dir,
    default_package_root,
    guess_form,
)

# Real poems, in the package's traditional characters (ci, like the package's, simplified).
TANG = [
    {
        "author": "李白",
        "title": "靜夜思",
        "id": "t-1",
        "paragraphs": ["牀前看月光，疑是地上霜。", "舉頭望山月，低頭思故鄉。"],
    },
    {
        "author": "王之渙",
        "title": "登鸛雀樓",
        "id": "t-2",
        "paragraphs": ["白日依山盡，黃河入海流。", "欲窮千里目，更上一層樓。"],
    },
    {
        "author": "孟浩然",
        "title": "春曉",
        "id": "t-3",
        "paragraphs": ["春眠不覺曉，處處聞啼鳥。", "夜來風雨聲，花落知多少。"],
    },
    {
        "author": "張繼",
        "title": "楓橋夜泊",
        "id": "t-4",
        "paragraphs": ["月落烏啼霜滿天，江楓漁火對愁眠。", "姑蘇城外寒山寺，夜半鐘聲到客船。"],
    },
    {
        "author": "杜甫",
        "title": "登高",
        "id": "t-5",
        "paragraphs": [
            "風急天高猿嘯哀，渚清沙白鳥飛迴。",
            "無邊落木蕭蕭下，不盡長江滾滾來。",
            "萬里悲秋常作客，百年多病獨登臺。",
            "艱難苦恨繁霜鬢，潦倒新停濁酒杯。",
        ],
    },
    {
        "author": "無名氏",
        "title": "殘句",
        "id": "t-6",
        "paragraphs": ["秋山□落葉，黃昏□□歸。", "白雲生遠岫，明月照空扉。"],
    },
    {
        "author": "王維",
        "title": "鹿柴",
        "id": "t-7",
        "paragraphs": ["空山不見人，但聞人語響。", "返景入深林，復照青苔上。"],
    },
]
SONG = [
    {
        "author": "蘇軾",
        "title": "題西林壁",
        "id": "s-1",
        "paragraphs": ["橫看成嶺側成峰，遠近高低各不同。", "不識廬山真面目，只緣身在此山中。"],
    },
    {
        "author": "吳龍翰",
        "title": "秋日綿溪",
        "id": "s-2",
        "paragraphs": ["萬頃寒潭鏡面平，數聲征雁叫霜晴。", "滿林落葉秋風老，山路黃昏人少行。"],
    },
]
CI = [
    {
        "author": "李清照",
        "rhythmic": "如梦令",
        "paragraphs": [
            "昨夜雨疏风骤，浓睡不消残酒。",
            "试问卷帘人，却道海棠依旧。",
            "知否，知否，应是绿肥红瘦。",
        ],
    },
    {
        "author": "柳永",
        "rhythmic": "雨霖铃",
        "paragraphs": [
            "寒蝉凄切。",
            "对长亭晚，骤雨初歇。",
            "都门帐饮无绪，留恋处、兰舟催发。",
            "执手相看泪眼，竟无语凝噎。",
            "念去去、千里烟波，暮霭沉沉楚天阔。",
            "多情自古伤离别，更那堪、冷落清秋节。",
            "今宵酒醒何处，杨柳岸、晓风残月。",
            "此去经年，应是良辰好景虚设。",
            "便纵有、千种风情，更与何人说。",
        ],
    },
]


def write_package(root: Path, version: str = "2.0.1") -> Path:
    """A chinese-poetry look-alike: package.json, Tang and Song shi, Song ci, a 三百首 list."""
    shi = root / "dist" / "quantangshi"
    ci = root / "dist" / "songci"
    shi.mkdir(parents=True)
    ci.mkdir(parents=True)
    (root / "package.json").write_text(json.dumps({"name": "chinese-poetry", "version": version}))
    (shi / "poet.tang.0.json").write_text(json.dumps(TANG, ensure_ascii=False), encoding="utf-8")
    (shi / "poet.song.0.json").write_text(json.dumps(SONG, ensure_ascii=False), encoding="utf-8")
    (ci / "ci.song.0.json").write_text(json.dumps(CI, ensure_ascii=False), encoding="utf-8")
    (shi / "唐诗三百首.json").write_text(json.dumps([TANG[1], TANG[3]], ensure_ascii=False), encoding="utf-8")
    return root


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_package(tmp_path / "node_modules" / "chinese-poetry")


@pytest.fixture
def corpus(package: Path, tmp_path: Path) -> Iterator[Corpus]:
    with Corpus.open(package, tmp_path / "cache", progress=False) as c:
        yield c


def test_build_writes_one_index_and_reuses_it_until_the_version_changes(
    package: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    path = build_index(package, cache, progress=False)
    assert path == cache / INDEX_NAME and path.is_file()
    assert [p.name for p in cache.iterdir()] == [INDEX_NAME]  # the temp file was renamed away
    built = path.stat().st_mtime_ns
    assert build_index(package, cache, progress=False).stat().st_mtime_ns == built

    (package / "package.json").write_text(json.dumps({"name": "chinese-poetry", "version": "2.0.2"}))
    with Corpus.open(package, cache, progress=False) as c:
        assert c.version == "2.0.2"
    with sqlite3.connect(path) as con:
        assert dict(con.execute("SELECT key, value FROM meta"))["package_version"] == "2.0.2"


def test_poems_are_converted_to_simplified(corpus: Corpus) -> None:
    [poem] = corpus.search(["黄河"], limit=1)
    assert poem.author == "王之涣" and poem.title == "登鹳雀楼"
    assert poem.lines == ["白日依山尽，黄河入海流。", "欲穷千里目，更上一层楼。"]
    assert (poem.dynasty, poem.kind, poem.form, poem.famous, poem.id) == ("tang", "shi", "五绝", True, "t-2")


def test_forms_are_guessed_from_line_count_and_length(corpus: Corpus) -> None:
    by_title = {p.title: p for p in corpus.search(list("月山风秋春人"), limit=20)}
    assert by_title["登高"].form == "七律"
    assert by_title["枫桥夜泊"].form == "七绝"
    assert by_title["春晓"].form == "五绝"
    assert guess_form(["大江东去，浪淘尽，千古风流人物。"]) is None
    ci = corpus.search(["杨柳岸"], limit=1)[0]
    assert (ci.kind, ci.form, ci.title, ci.dynasty) == ("ci", "雨霖铃", "雨霖铃", "song")
    assert ci.id == "ci.song.0:1"  # the package gives ci no id


def test_search_ranks_autumn_dusk_first_and_is_deterministic(corpus: Corpus) -> None:
    hits = corpus.search(["秋", "黄昏", "落叶"], limit=5)
    assert hits[0].title == "秋日绵溪"
    assert hits[0].matched == ["秋", "黄昏", "落叶"]
    assert [p.score for p in hits] == sorted((p.score for p in hits), reverse=True)
    assert corpus.search(["秋", "黄昏", "落叶"], limit=5) == hits
    # traditional imagery and one spaced string work as well
    assert corpus.search(["秋 黃昏 落葉"], limit=1)[0].title == "秋日绵溪"


def test_search_filters_by_form_and_refuses_bad_queries(corpus: Corpus) -> None:
    assert {p.form for p in corpus.search(["月"], form="七言绝句", limit=10)} == {"七绝"}
    assert [p.title for p in corpus.search(["风"], form="如梦令", limit=10)] == ["如梦令"]
    with pytest.raises(InvalidInput, match="imagery"):
        corpus.search([], limit=3)
    with pytest.raises(InvalidInput, match="form"):
        corpus.search(["月"], form="六绝", limit=3)


def test_examples_are_clean_poems_of_the_form_famous_first(corpus: Corpus) -> None:
    five = corpus.examples("五绝", k=10)
    assert five[0].title == "登鹳雀楼"  # in 唐诗三百首
    assert {p.form for p in five} == {"五绝"}
    assert "残句" not in {p.title for p in five}  # holds □: not fit to imitate
    assert corpus.examples("wujue", ["春", "雨"], k=1)[0].title == "春晓"
    assert [p.title for p in corpus.examples("雨霖铃", k=2)] == ["雨霖铃"]


def test_copied_lines_flags_verbatim_lines_with_their_source(corpus: Corpus) -> None:
    matches = corpus.copied_lines("白日依山盡，江流天地外。\n孤舟蓑笠翁，独钓寒江雪。")
    assert len(matches) == 1
    m = matches[0]
    assert (m.line_no, m.clause, m.kind, m.same, m.length) == (1, "白日依山盡", "verbatim", 5, 5)
    assert (m.normalized, m.corpus_clause, m.author, m.title) == (
        "白日依山尽",
        "白日依山尽",
        "王之涣",
        "登鹳雀楼",
    )


def test_copied_lines_flags_near_copies_by_position(corpus: Corpus) -> None:
    m = corpus.copied_lines("床前明月光")[0]
    assert (m.kind, m.same, m.corpus_clause, m.author) == ("near", 4, "床前看月光", "李白")
    assert corpus.copied_lines("月落乌啼风满地")[0].same == 5  # 5 of 7: still a near copy
    assert corpus.copied_lines("月落乌啼风雨地") == []  # 4 of 7: the poet's own line
    assert corpus.copied_lines("落月乌啼霜满天")[0].same == 5  # swapped characters count as misses
    assert corpus.copied_lines("海棠") == []  # too short to mean anything


def test_missing_corpus_names_the_npm_command(tmp_path: Path) -> None:
    root = tmp_path / "data" / "node_modules" / "chinese-poetry"
    with pytest.raises(CorpusMissing) as err:
        Corpus.open(root, tmp_path / "cache")
    assert isinstance(err.value, NotFound) and err.value.code == "corpus_missing"
    assert f"npm install --prefix {tmp_path / 'data'} chinese-poetry@2.0.1" in str(err.value)
    assert "DUETTO_POETRY_CORPUS" in str(err.value)


def test_env_var_points_at_the_package(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUETTO_POETRY_CORPUS", str(package))
    with Corpus.open(cache_dir=tmp_path / "cache", progress=False) as c:
        assert len(c) == len(TANG) + len(SONG) + len(CI)


def _real_package() -> Path | None:
    """Where ``make corpus`` (run by ``make test``) puts the package, so CI runs this test too."""
    root = default_package_root()
    return root if (root / "package.json").is_file() else None


@pytest.mark.skipif(_real_package() is None, reason="the chinese-poetry npm package is not installed")
def test_real_corpus_finds_autumn_dusk_and_famous_copies() -> None:
    root = _real_package()
    assert root is not None
    with Corpus.open(root, default_cache_dir(), progress=False) as c:  # built once, then reused
        assert len(c) > 300_000
        hits = c.search(["秋", "黄昏", "落叶"], limit=5)
        assert hits and {"黄昏", "落叶"} <= set(hits[0].matched)
        matches = {
            m.normalized: m for m in c.copied_lines("床前明月光，疑是地上霜。\n白日依山尽，黄河入海流。")
        }
        assert matches["床前明月光"].author == "李白"  # 全唐诗 reads 床前看月光: a near copy
        assert matches["白日依山尽"].kind == "verbatim"
        sources = [matches["白日依山尽"].author] + [a.split("《")[0] for a in matches["白日依山尽"].also]
        assert "王之涣" in sources
