"""Variety among poems (media/text/variety.py) and sets of variants (studio/sets.py): no model."""

from __future__ import annotations

import numpy as np
import pytest

from duetto.media.text import variety
from duetto.media.text.classical.constraints import (
    char_table,
    choose_rhyme_groups,
    slots,
)
from duetto.media.text.classical.forms import get_form
from duetto.media.text.poem import PoemParams, Poet
from duetto.settings import Settings
from duetto.studio.generate import Job
from duetto.studio.sets import as_set

AUTUMN = "在秋日的黄昏，一片金色的落叶，在风中飘舞"
A = "秋风落叶满长街，金色斜阳照客怀。"
A_COPY = "秋风落叶满长街，金色斜阳照我怀。"
B = "寒山一路雁声哀，落叶飘零金色来。"


def test_similarity_ranks_a_near_copy_above_a_different_poem() -> None:
    assert variety.char_similarity(A, A) == 1.0
    assert variety.char_similarity("春花", "秋月") == 0.0
    assert variety.similarity(A, A_COPY) > 0.6 > variety.similarity(A, B)


def test_images_the_brief_requires_do_not_count_as_likeness() -> None:
    wants = variety.required_imagery(AUTUMN, ["秋日", "黄昏", "落叶", "风", "飘舞"])
    shared = variety.shared_images(wants)
    a, b = "落叶随风舞", "落叶满山红"
    assert variety.Likeness(shared)(a, b) < variety.similarity(a, b)


def test_mmr_takes_the_best_then_the_most_different() -> None:
    pool = [(A, 1.0), (A_COPY, 0.95), (B, 0.7)]
    order = variety.mmr(pool, lambda p: p[1], lambda p: p[0], k=3)
    assert [p[0] for p in order] == [A, B, A_COPY]
    # without the similarity term it would have been quality order
    assert [p[0] for p in variety.mmr(pool, lambda p: p[1], lambda p: p[0], k=3, lam=0.0)] == [A, A_COPY, B]
    # each variant of a set computes the same order and takes its own place in it
    assert [variety.pick(pool, lambda p: p[1], lambda p: p[0], i)[0] for i in range(3)] == [A, B, A_COPY]


def test_required_imagery_reads_colours_and_named_images() -> None:
    wants = variety.required_imagery(AUTUMN, ["秋日", "黄昏", "落叶", "风", "飘舞"])
    words = [w.word for w in wants]
    assert words[:2] == ["金色", "落叶"]  # 金色 is not among the parser's keywords, the brief still names it
    assert len(words) == 3
    assert variety.required_imagery(AUTUMN, ["秋日"], limit=2)[1].word == "落叶"
    falling = next(w for w in wants if w.word == "落叶")
    assert variety.holds("黄叶飘零", falling) and not variety.holds("秋风萧瑟", falling)
    gold = next(w for w in wants if w.word == "金色")
    assert variety.holds("满山金叶", gold)
    assert variety.coverage("金色的落叶", wants[:2]) == 1.0
    assert variety.coverage("秋风", wants[:2]) == 0.0


def test_required_english_keeps_the_modifier() -> None:
    wants = variety.required_english("first snow on the garden", ["snow", "garden"])
    assert [w.word for w in wants] == ["snow", "garden", "first"]
    assert variety.coverage("The first snows fall / on the quiet garden", wants) == 1.0
    assert variety.coverage("Snow on the garden", wants) == pytest.approx(2 / 3)


def test_place_puts_each_image_in_its_own_line_where_the_tones_allow() -> None:
    form = get_form("七言绝句")
    table = char_table("pingshui")
    wants = variety.required_imagery(AUTUMN, ["秋日", "黄昏", "落叶", "风", "飘舞"])
    group = choose_rhyme_groups(["秋", "落叶"], system="pingshui", tone=form.rhyme_tone)[0]
    lines_used = []
    for seed in range(6):
        plan = slots(form, form.variants[seed % len(form.variants)], rhyme_group=group, system="pingshui")
        views = [variety.SlotView(s.line, s.position, not s.rhyme) for s in plan]
        forced = variety.place(views, wants, lambda j, ch, plan=plan: ch in table.allowed(plan[j]),
                               np.random.default_rng(seed))
        assert forced, "a 七绝 has room for 金色 and 落叶"
        for j, ch in forced.items():
            assert ch in table.allowed(plan[j]) and not plan[j].rhyme
        lines = {plan[j].line for j in forced}
        runs = sum(1 for j in forced if j - 1 not in forced)  # one run of characters per placed image
        assert runs == len(lines), "each image in a line of its own"
        text = "".join(forced[j] if j in forced else "　" for j in range(len(plan)))
        assert variety.coverage(text, wants) >= 2 / 3
        lines_used.append(tuple(sorted(lines)))
    assert len(set(lines_used)) > 1, "the spots differ from candidate to candidate"


def test_place_falls_back_to_an_echo_and_skips_what_fits_nowhere() -> None:
    views = [variety.SlotView(1, p, p < 5) for p in range(1, 6)]
    wants = [variety.Want("落叶", ("黄叶",)), variety.Want("霓虹")]
    forced = variety.place(views, wants, lambda j, ch: ch != "落", np.random.default_rng(0))
    assert "".join(forced[j] for j in sorted(forced)) == "黄叶"  # 落 fits nowhere, 霓虹 has no free line left


def test_cliches_cost_most_at_the_close() -> None:
    assert variety.cliche_penalty("秋风起，泪满衣。") > variety.cliche_penalty("泪满衣，秋风起。") > 0
    assert variety.cliche_penalty("秋风起，雁南飞。") == 0


def test_too_close_catches_a_line_copied_from_another() -> None:
    assert variety.too_close("孤舟独钓寒江月", ["孤舟独钓寒江雪", "千山鸟飞绝"])
    assert not variety.too_close("野渡无人舟自横", ["孤舟独钓寒江雪"])


def test_as_set_tells_each_poem_its_place(tmp_path) -> None:
    poet = Poet(Settings(home=tmp_path / "studio", user="t"))
    params = PoemParams(pick=2, set_size=4, pool_seed=99)  # a parent's recipe: a member of its own set
    jobs = [Job(spec=None, params=params.model_dump(), seed=s, parents=[], operation="new")  # type: ignore[arg-type]
            for s in (7, 8, 9)]
    out = as_set(poet, jobs)
    assert [(j.params.pick, j.params.set_size, j.params.pool_seed) for j in out] == [(0, 3, 7), (1, 3, 7), (2, 3, 7)]
    one = as_set(poet, jobs[:1])[0].params
    assert (one.pick, one.set_size, one.pool_seed) == (0, 1, 7)  # a set of one, not variant 3 of the parent's set
