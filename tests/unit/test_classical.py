"""Classical forms: famous poems fit their forms, altered ones fail at the exact place and rule."""

from __future__ import annotations

import random

import pytest

from duetto.errors import InvalidInput
from duetto.media.text.classical import (
    char_table,
    choose_rhyme_groups,
    get_form,
    rhyme_groups,
    slots,
    split_lines,
    tone_classes,
    validate,
)
from duetto.media.text.classical.constraints import common_characters

DENG_GUANQUE_LOU = "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。"  # 王之涣, 五绝
JUEJU = "两个黄鹂鸣翠柳，一行白鹭上青天。窗含西岭千秋雪，门泊东吴万里船。"  # 杜甫, 七绝
CHUN_WANG = (  # 杜甫《春望》, 五律
    "国破山河在，城春草木深。感时花溅泪，恨别鸟惊心。"
    "烽火连三月，家书抵万金。白头搔更短，浑欲不胜簪。"
)
SHANJU_QIUMING = (  # 王维《山居秋暝》, 五律
    "空山新雨后，天气晚来秋。明月松间照，清泉石上流。"
    "竹喧归浣女，莲动下渔舟。随意春芳歇，王孙自可留。"
)
DENG_GAO = (  # 杜甫《登高》, 七律
    "风急天高猿啸哀，渚清沙白鸟飞回。无边落木萧萧下，不尽长江滚滚来。"
    "万里悲秋常作客，百年多病独登台。艰难苦恨繁霜鬓，潦倒新停浊酒杯。"
)
ZAO_FA_BAIDI = (
    "朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。"  # 李白, 七绝
)
RU_MENG_LING = "常记溪亭日暮，沉醉不知归路。兴尽晚回舟，误入藕花深处。争渡，争渡，惊起一滩鸥鹭。"  # 李清照
RU_MENG_LING_2 = (
    "昨夜雨疏风骤，浓睡不消残酒。试问卷帘人，却道海棠依旧。知否，知否，应是绿肥红瘦。"
)
YI_JIANGNAN = (
    "江南好，风景旧曾谙。日出江花红胜火，春来江水绿如蓝。能不忆江南。"  # 白居易
)
HUAN_XI_SHA = (  # 晏殊
    "一曲新词酒一杯，去年天气旧亭台。夕阳西下几时回？无可奈何花落去，似曾相识燕归来。小园香径独徘徊。"
)
DIAN_JIANG_CHUN = (  # 李清照
    "蹴罢秋千，起来慵整纤纤手。露浓花瘦，薄汗轻衣透。见客入来，袜刬金钗溜。和羞走，倚门回首，却把青梅嗅。"
)


def where(report) -> list[tuple[int | None, int | None, str]]:
    return [(i.line, i.position, i.rule) for i in report.issues]


# --- famous poems fit their forms -----------------------------------------------------------


@pytest.mark.parametrize(
    ("poem", "form", "variant", "group"),
    [
        (DENG_GUANQUE_LOU, "五绝", "仄起首句不入韵", "下平十一尤"),
        (JUEJU, "七绝", "仄起首句不入韵", "下平一先"),
        (ZAO_FA_BAIDI, "qijue", "平起首句入韵", "上平十五刪"),
        (CHUN_WANG, "五言律诗", "仄起首句不入韵", "下平十二侵"),
        (SHANJU_QIUMING, "wulv", "平起首句不入韵", "下平十一尤"),
        (DENG_GAO, "七律", "仄起首句入韵", "上平十灰"),
        (RU_MENG_LING, "如梦令", "正体", "第四部仄"),
        (RU_MENG_LING_2, "rumengling", "正体", "第十二部仄"),
        (YI_JIANGNAN, "忆江南", "正体", "第十四部平"),
        (HUAN_XI_SHA, "浣溪沙", "正体", None),
        (DIAN_JIANG_CHUN, "点绛唇", "正体", "第十二部仄"),
    ],
)
def test_famous_poem_fits_its_form(
    poem: str, form: str, variant: str, group: str | None
) -> None:
    report = validate(poem, form)
    assert report.issues == []
    assert report.ok
    assert report.variant == variant
    if group is not None:
        assert report.rhyme_group == group
    assert report.modern_readings == []  # every character came from the rhyme book


def test_traditional_script_validates_like_simplified() -> None:
    report = validate("白日依山盡，黃河入海流。欲窮千里目，更上一層樓。", "五言絕句")
    assert report.ok and report.variant == "仄起首句不入韵"


def test_huang_he_lou_is_reported_as_the_irregular_lushi_it_is() -> None:
    # 崔颢《黄鹤楼》 famously breaks the 律: 黄鹤 repeated at 6 of line 1, 一去不复 all oblique.
    poem = (
        "昔人已乘黄鹤去，此地空余黄鹤楼。黄鹤一去不复返，白云千载空悠悠。"
        "晴川历历汉阳树，芳草萋萋鹦鹉洲。日暮乡关何处是，烟波江上使人愁。"
    )
    report = validate(poem, "七律")
    assert not report.ok
    assert (3, 4, "tone") in where(report)
    assert report.rhyme_group == "下平十一尤"
    # Line 1 reads 仄平仄仄平仄仄 (乘 may be 去声): its oblique sixth is rescued by 黄, the level
    # fifth of line 2 (对句相救), and the report says so rather than staying silent.
    assert [(lc.line, lc.position, lc.kind) for lc in report.licences] == [
        (1, 6, "dui_ju_xiang_jiu"),
        (2, 5, "dui_ju_xiang_jiu"),
    ]


def test_jing_ye_si_is_an_ancient_quatrain_not_a_regulated_one() -> None:
    # 李白《静夜思》 is a 古绝: 孤平 in line 2, and lines 2-3 break 粘/对.
    report = validate("床前明月光，疑是地上霜。举头望明月，低头思故乡。", "五绝")
    assert where(report) == [(2, 1, "gu_ping"), (2, 4, "tone"), (3, 2, "tone")]


# --- layouts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [
        "白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。",
        "白日依山尽\n黄河入海流\n欲穷千里目\n更上一层楼\n",
        "  白日依山尽 黄河入海流  欲穷千里目 更上一层楼",
        "白日依山尽，黄河入海流！欲穷千里目？更上一层楼、",
        "白日依山尽黄河入海流\n欲穷千里目更上一层楼",
        "白日依山尽黄河入海流欲穷千里目更上一层楼",
    ],
)
def test_any_common_layout_parses_into_the_same_lines(layout: str) -> None:
    assert split_lines(layout, get_form("wujue")) == [
        "白日依山尽",
        "黄河入海流",
        "欲穷千里目",
        "更上一层楼",
    ]
    assert validate(layout, "wujue").ok


# --- altered poems fail at the exact place ----------------------------------------------------


def test_wrong_tone_names_line_position_and_tones() -> None:
    report = validate(CHUN_WANG.replace("国破", "国春"), "五律")
    assert where(report) == [(1, 2, "tone")]
    issue = report.issues[0]
    assert (issue.char, issue.expected, issue.found) == ("春", "仄", "平")
    assert (
        issue.message
        == "第1句第2字'春'应为仄声，实为平声 / line 1 char 2 '春' should be oblique (仄) but is level (平)"
    )


def test_wrong_tone_in_a_quatrain() -> None:
    report = validate(DENG_GUANQUE_LOU.replace("欲穷", "欲尽"), "五绝")
    assert where(report) == [(3, 2, "tone")]
    assert report.issues[0].expected == "平"


def test_broken_rhyme_is_reported_at_its_line_only() -> None:
    report = validate(CHUN_WANG.replace("万金", "万钱"), "五律")
    assert where(report) == [(6, 5, "rhyme")]
    assert report.rhyme_group == "下平十二侵"
    assert "不押本诗韵部下平十二侵" in report.issues[0].message


def test_stray_first_rhyme_does_not_drag_the_others_down() -> None:
    # 登高 with a first line ending 江 (上平三江): the other four rhymes keep 十灰.
    report = validate(DENG_GAO.replace("猿啸哀", "猿啸江"), "七律")
    assert where(report) == [(1, 7, "rhyme")]
    assert report.rhyme_group == "上平十灰"


def test_oblique_rhyme_in_a_regulated_poem_is_wrong_tone() -> None:
    report = validate(DENG_GUANQUE_LOU.replace("入海流", "入海去"), "五绝")
    assert where(report) == [(2, 5, "rhyme_tone")]
    assert report.issues[0].expected == "平"


def test_level_rhyme_in_an_oblique_ci_is_wrong_tone() -> None:
    report = validate(RU_MENG_LING.replace("鸥鹭", "鸥飞"), "如梦令")
    assert where(report) == [(7, 6, "rhyme_tone")]
    assert report.issues[0].expected == "仄"


def test_added_character_reports_line_length() -> None:
    report = validate(DENG_GUANQUE_LOU.replace("黄河入海流", "黄河东入海流"), "五绝")
    assert where(report) == [(2, None, "line_length")]
    assert (report.issues[0].expected, report.issues[0].found) == ("5", "6")


def test_missing_line_reports_line_count() -> None:
    report = validate("白日依山尽，黄河入海流。欲穷千里目。", "五绝")
    assert where(report) == [(None, None, "line_count")]
    assert "应为4句，实为3句" in report.issues[0].message


def test_gu_ping_is_caught_where_one_three_five_bu_lun_lets_it_through() -> None:
    report = validate(DENG_GUANQUE_LOU.replace("黄河", "白河"), "五绝")  # 仄平仄仄平
    assert where(report) == [(2, 2, "gu_ping")]
    rescued = validate(
        DENG_GUANQUE_LOU.replace("黄河入", "白河千"), "五绝"
    )  # 仄平平仄平: 拗救
    assert rescued.ok
    assert [(lc.line, lc.position, lc.kind) for lc in rescued.licences] == [
        (2, 3, "ben_ju_zi_jiu")
    ]


def test_san_ping_wei_is_caught() -> None:
    report = validate(
        DENG_GUANQUE_LOU.replace("一层楼", "层层楼"), "五绝"
    )  # 仄仄平平平
    assert where(report) == [(4, 3, "san_ping_wei")]
    assert report.issues[0].char == "层层楼"


def test_repeated_rhyme_character_is_chong_yun() -> None:
    report = validate(CHUN_WANG.replace("不胜簪", "不胜深"), "五律")
    assert where(report) == [(8, 5, "repeated_rhyme")]
    assert "与第2句韵脚重复" in report.issues[0].message


def test_ru_meng_ling_refrain_must_repeat() -> None:
    report = validate(RU_MENG_LING.replace("争渡，争渡", "争渡，归路"), "如梦令")
    assert where(report) == [(6, None, "refrain")]


# --- tones and rhyme groups -------------------------------------------------------------------


@pytest.mark.parametrize("ch", ["白", "国", "竹", "一", "急", "独", "石"])
def test_entering_tone_characters_are_oblique_in_pingshui(ch: str) -> None:
    assert tone_classes(ch, "pingshui") == {"仄"}
    assert any(g.startswith("入聲") for g in rhyme_groups(ch))


@pytest.mark.parametrize("ch", ["白", "国", "竹", "急"])
def test_entering_tone_characters_follow_mandarin_in_xinyun(ch: str) -> None:
    assert tone_classes(ch, "xinyun") == {"平"}


def test_polyphonic_characters_take_both_classes() -> None:
    assert tone_classes("看") == {"平", "仄"}
    assert tone_classes("胜") == {"平", "仄"}
    assert rhyme_groups("看", tone="平") == {"上平十四寒"}


def test_rhyme_groups_in_both_systems() -> None:
    assert rhyme_groups("東") == rhyme_groups("东") == {"上平一東"}
    assert "下平七陽" in rhyme_groups("光")
    assert rhyme_groups("光", "xinyun") == {"十唐"}
    assert rhyme_groups("知", "xinyun") == {"十三支"}
    assert rhyme_groups("衣", "xinyun") == {"十二齐"}
    assert rhyme_groups("雪", "xinyun") == {"三皆"}


def test_dengao_under_xinyun_flags_the_entering_tone_that_mandarin_lost() -> None:
    assert validate(DENG_GAO, "七律").ok
    report = validate(DENG_GAO, "七律", rhyme="xinyun")
    assert (1, 2, "tone") in where(report)  # 急 is jí (tone 2) today
    assert validate(SHANJU_QIUMING, "五律", rhyme="xinyun").ok


# --- form catalogue -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["qijue", "七绝", "七言绝句", "七言絕句", "seven-character quatrain", "Qi Jue"],
)
def test_form_lookup_by_any_name(name: str) -> None:
    assert get_form(name).name == "qijue"


def test_unknown_form_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(DENG_GUANQUE_LOU, "sonnet")
    assert "sonnet" in caught.value.message
    assert "qijue" in str(caught.value) and "如梦令" in str(caught.value)


def test_catalogue_has_every_shi_variant() -> None:
    for name in ("wujue", "qijue", "wulv", "qilv"):
        variants = {v.name for v in get_form(name).variants}
        assert variants == {
            "平起首句入韵",
            "平起首句不入韵",
            "仄起首句入韵",
            "仄起首句不入韵",
        }


def test_unknown_rhyme_system_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        validate(DENG_GUANQUE_LOU, "五绝", rhyme="guangyun")  # type: ignore[arg-type]


# --- decoder constraints ----------------------------------------------------------------------


def test_slots_give_tones_and_rhyme_groups_per_position() -> None:
    found = slots("qijue", "平起首句入韵", rhyme_group="下平七陽")
    assert len(found) == 28
    rhymes = [(s.line, s.position) for s in found if s.rhyme]
    assert rhymes == [(1, 7), (2, 7), (4, 7)]
    assert all(
        s.rhyme_groups == {"下平七陽"} and s.tones == {"平"} for s in found if s.rhyme
    )
    third_end = next(s for s in found if (s.line, s.position) == (3, 7))
    assert third_end.tones == {"仄"} and not third_end.rhyme
    assert found[0].tones == {"平", "仄"}  # 一三五不论
    assert found[1].tones == {"平"}


def test_slots_reject_a_rhyme_group_of_the_wrong_tone() -> None:
    with pytest.raises(InvalidInput):
        slots("qijue", rhyme_group="上聲一董")


def test_ci_slots_widen_to_the_cilin_section_and_mark_refrains() -> None:
    found = slots("如梦令", rhyme_group="去聲七遇")
    end = next(s for s in found if (s.line, s.position) == (1, 6))
    assert end.rhyme_groups == {"上聲六語", "上聲七麌", "去聲六御", "去聲七遇"}
    assert [s.copy_of for s in found if s.line == 6] == [(5, 1), (5, 2)]


def test_char_table_masks_follow_the_slots() -> None:
    table = char_table("pingshui")
    rhyme = next(s for s in slots("qijue", rhyme_group="下平七陽") if s.rhyme)
    allowed = table.allowed(rhyme)
    assert {"光", "阳", "香", "長"} <= allowed
    assert not {"月", "东", "上"} & allowed
    level = next(s for s in slots("qijue") if s.tones == {"平"})
    assert not table.allows("白", level) and table.allows("看", level)


def test_choosing_from_the_masks_writes_a_poem_that_fits_by_construction() -> None:
    table = char_table("pingshui")
    common = sorted(common_characters())
    rng = random.Random(7)
    form = get_form("qilv")
    for variant in form.variants:
        chars, used_rhymes = [], set()
        for slot in slots(form, variant.name, rhyme_group="下平七陽"):
            choices = [
                c for c in common if table.allows(c, slot) and c not in used_rhymes
            ]
            ch = rng.choice(choices)
            if slot.rhyme:
                used_rhymes.add(ch)
            chars.append(ch)
        poem = "\n".join("".join(chars[i : i + 7]) for i in range(0, 56, 7))
        report = validate(poem, form)
        # Tones and rhymes hold by construction; 孤平/三平尾 depend on neighbours, not on a slot.
        assert {i.rule for i in report.issues} <= {"gu_ping", "san_ping_wei"}, (
            report.issues
        )
        assert report.rhyme_group == "下平七陽"


def test_wide_rhyme_groups_rank_first_and_keywords_lead() -> None:
    ranked = choose_rhyme_groups([])
    assert len(ranked) == 30
    assert set(ranked[:2]) == {"上平四支", "下平七陽"}  # the widest groups
    assert (
        ranked.index("上平一東") < 15 < ranked.index("上平三江")
    )  # 東 wide, 江 narrow (险韵)
    assert choose_rhyme_groups(["清秋", "愁"])[0] == "下平十一尤"  # 秋 愁 both in 尤
    assert len(choose_rhyme_groups([], system="xinyun")) == 14


def test_report_serialises_with_ok() -> None:
    data = validate(DENG_GUANQUE_LOU, "五绝").model_dump()
    assert data["ok"] is True and data["lines"][0] == "白日依山尽"


def test_first_line_borrowing_a_neighbouring_group_is_named_as_such() -> None:
    # 杜牧《清明》: 纷 (上平十二文) opens a poem rhyming in 十三元 — 首句借邻韵, which tradition allows.
    report = validate(
        "清明时节雨纷纷，路上行人欲断魂。借问酒家何处有，牧童遥指杏花村。", "七绝"
    )
    assert where(report) == [(1, 7, "neighbour_rhyme")]
    assert report.rhyme_group == "上平十三元"
    # The same stray group on a later line is a plain broken rhyme.
    later = validate(
        DENG_GAO.replace("独登台", "独登云"), "七律"
    )  # 云 (文) among 灰 rhymes
    assert where(later) == [(6, 7, "rhyme")]
