"""拗句 and 拗救: real 唐宋 poems that use the licensed departures pass and say which licence
each line used; copies with the licence broken fail at the line and position that lost it."""

from __future__ import annotations

import pytest

from duetto.media.text.classical import tone_classes, validate

SU_JIANDE_JIANG = (  # 孟浩然《宿建德江》, 五绝: line 1 平平仄平仄
    "移舟泊烟渚，日暮客愁新。野旷天低树，江清月近人。"
)
NIAO_MING_JIAN = (  # 王维《鸟鸣涧》, 五绝: line 1 平平仄平仄
    "人闲桂花落，夜静春山空。月出惊山鸟，时鸣春涧中。"
)
TIANMO_HUAI_LIBAI = (  # 杜甫《天末怀李白》, 五律: line 1 平平仄平仄
    "凉风起天末，君子意如何。鸿雁几时到，江湖秋水多。"
    "文章憎命达，魑魅喜人过。应共冤魂语，投诗赠汨罗。"
)
SHANGSHAN_ZAOXING = (  # 温庭筠《商山早行》, 五律: lines 2 and 6 仄平平仄平, line 7 平平仄平仄
    "晨起动征铎，客行悲故乡。鸡声茅店月，人迹板桥霜。"
    "槲叶落山路，枳花明驿墙。因思杜陵梦，凫雁满回塘。"
)
DENG_XIANSHAN = (  # 孟浩然《与诸子登岘山》, 五律: 人事有代谢 (平仄仄仄仄) / 往来成古今 (仄平平仄平)
    "人事有代谢，往来成古今。江山留胜迹，我辈复登临。"
    "水落鱼梁浅，天寒梦泽深。羊公碑尚在，读罢泪沾襟。"
)
DENG_LEYOUYUAN = (  # 李商隐《登乐游原》, 五绝: 向晚意不适 / 驱车登古原
    "向晚意不适，驱车登古原。夕阳无限好，只是近黄昏。"
)
GUO_GUREN_ZHUANG = (  # 孟浩然《过故人庄》, 五律: line 1 仄平仄平仄, line 5 平平仄平仄
    "故人具鸡黍，邀我至田家。绿树村边合，青山郭外斜。"
    "开轩面场圃，把酒话桑麻。待到重阳日，还来就菊花。"
)
JI_HUANG_JIFU = (  # 黄庭坚《寄黄几复》, 七律: line 3 特殊形式, lines 5-6 对句相救
    "我居北海君南海，寄雁传书谢不能。桃李春风一杯酒，江湖夜雨十年灯。"
    "持家但有四立壁，治病不蕲三折肱。想得读书头已白，隔溪猿哭瘴溪藤。"
)
XIANYANG_DONGLOU = (  # 许浑《咸阳城东楼》, 七律: line 4 山雨欲来风满楼 (平仄仄平平仄平)
    "一上高城万里愁，蒹葭杨柳似汀洲。溪云初起日沉阁，山雨欲来风满楼。"
    "鸟下绿芜秦苑夕，蝉鸣黄叶汉宫秋。行人莫问当年事，故国东来渭水流。"
)


def where(report) -> list[tuple[int | None, int | None, str]]:
    return [(i.line, i.position, i.rule) for i in report.issues]


def licensed(report) -> list[tuple[int, int, str]]:
    return [(lc.line, lc.position, lc.kind) for lc in report.licences]


# --- the premises: the project's own tables read these characters as the manuals do ----------


@pytest.mark.parametrize(
    ("chars", "tones"),
    [
        ("移舟泊烟渚", "平平仄平仄"),  # 宿建德江 line 1
        ("人闲桂花落", "平平仄平仄"),  # 鸟鸣涧 line 1
        ("凉风起天末", "平平仄平仄"),
        ("因杜陵", "平仄平"),  # 商山早行 line 7, chars 1, 3, 4 (思 is polyphonic)
        ("客悲故", "仄平仄"),  # 商山早行 line 2, chars 1, 3, 4 (行 is polyphonic)
        ("枳花明驿", "仄平平仄"),  # 商山早行 line 6
        ("人事有代谢", "平仄仄仄仄"),  # 岘山 line 1
        ("往来成古", "仄平平仄"),  # 岘山 line 2
        ("春风一杯酒", "平平仄平仄"),  # 寄黄几复 line 3, chars 3-7
        ("四立壁", "仄仄仄"),  # 寄黄几复 line 5, chars 5-7
        ("欲来风满", "仄平平仄"),  # 咸阳城东楼 line 4, chars 3-6
        ("故具鸡", "仄仄平"),  # 过故人庄 line 1, chars 1, 3, 4
    ],
)
def test_licensed_positions_read_as_the_manuals_read_them(
    chars: str, tones: str
) -> None:
    assert [set(tone_classes(ch)) for ch in chars] == [{t} for t in tones]


def test_polyphonic_rescue_and_rhyme_characters_can_take_the_tone_needed() -> None:
    assert "平" in tone_classes(
        "三"
    )  # 寄黄几复 line 6 char 5, the rescue (三 is also 去声)
    assert tone_classes("空") == {
        "平",
        "仄",
    }  # so 鸟鸣涧's 夜静春山空 is no certain 三平尾


# --- 特殊形式 平平仄平仄 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("poem", "form", "line", "position", "shape"),
    [
        (SU_JIANDE_JIANG, "五绝", 1, 4, "平平仄平仄"),
        (NIAO_MING_JIAN, "五绝", 1, 4, "平平仄平仄"),
        (TIANMO_HUAI_LIBAI, "五律", 1, 4, "平平仄平仄"),
        (SHANGSHAN_ZAOXING, "五律", 7, 4, "平平仄平仄"),
        (JI_HUANG_JIFU, "七律", 3, 6, "仄仄平平仄平仄"),
    ],
)
def test_special_form_is_accepted_and_named(
    poem: str, form: str, line: int, position: int, shape: str
) -> None:
    report = validate(poem, form)
    assert report.issues == [] and report.ok
    assert (line, position, "te_shu") in licensed(report)
    licence = next(lc for lc in report.licences if lc.kind == "te_shu")
    assert licence.line == line
    assert f"第{line}句" in licence.message and f"特殊形式{shape}" in licence.message
    assert licence.tones.endswith("平仄平仄")


def test_a_plain_regular_quatrain_needs_no_licence() -> None:
    report = validate("白日依山尽，黄河入海流。欲穷千里目，更上一层楼。", "五绝")
    assert report.ok and report.licences == []


def test_a_half_ao_needs_no_licence() -> None:
    # 鸿雁几时到 (平仄仄平仄): an oblique third alone is allowed by 一三五不论, not by a rescue.
    report = validate(TIANMO_HUAI_LIBAI, "五律")
    assert licensed(report) == [(1, 4, "te_shu")]


def test_special_form_with_an_oblique_first_character_fails_at_the_fourth() -> None:
    report = validate(SU_JIANDE_JIANG.replace("移舟", "系舟"), "五绝")  # 仄平仄平仄
    assert where(report) == [(1, 4, "ao_jiu")]
    issue = report.issues[0]
    assert (issue.char, issue.expected, issue.found) == ("烟", "仄", "平")
    assert issue.message.startswith("第1句第4字'烟'应为仄声")
    assert "须第1字用平声" in issue.message and "'系'为仄声" in issue.message
    assert report.licences == []


def test_guo_guren_zhuang_opens_with_the_variant_wang_li_excludes() -> None:
    # 故人具鸡黍 is 仄平仄平仄: 王力 requires a level first character in the special form, and
    # counts this shape only once in fifty 仄起 五律. Line 5 (开轩面场圃) is the accepted form.
    report = validate(GUO_GUREN_ZHUANG, "五律")
    assert where(report) == [(1, 4, "ao_jiu")]
    assert licensed(report) == [(5, 4, "te_shu")]


def test_qiyan_special_form_needs_a_level_third_character() -> None:
    report = validate(JI_HUANG_JIFU.replace("桃李春风", "桃李夏风"), "七律")
    assert where(report) == [(3, 6, "ao_jiu")]
    assert report.issues[0].message.startswith("第3句第6字'杯'应为仄声")
    assert "须第3字用平声" in report.issues[0].message


def test_special_form_needs_the_oblique_third_it_swaps_in() -> None:
    # 移舟移烟渚 is 平平平平仄: not the special form, just a wrong fourth character.
    report = validate(SU_JIANDE_JIANG.replace("泊烟", "移烟"), "五绝")
    assert where(report) == [(1, 4, "tone")]
    assert report.licences == []


# --- 本句自救: 孤平 rescued in the same line ----------------------------------------------------


def test_gu_ping_rescued_in_its_own_line_is_accepted_in_wulv() -> None:
    report = validate(SHANGSHAN_ZAOXING, "五律")
    assert report.ok
    assert licensed(report) == [
        (2, 3, "ben_ju_zi_jiu"),
        (6, 3, "ben_ju_zi_jiu"),
        (7, 4, "te_shu"),
    ]
    assert "'客'仄声本犯孤平" in report.licences[0].message
    assert "'悲'用平声自救" in report.licences[0].message


def test_gu_ping_rescued_in_its_own_line_is_accepted_in_qilv() -> None:
    report = validate(XIANYANG_DONGLOU, "七律")
    assert report.ok
    assert licensed(report) == [(4, 5, "ben_ju_zi_jiu")]
    assert report.licences[0].tones == "平仄仄平平仄平"


def test_unrescued_gu_ping_still_fails_in_wulv() -> None:
    report = validate(
        SHANGSHAN_ZAOXING.replace("客行悲", "客行到"), "五律"
    )  # 仄平仄仄平
    assert where(report) == [(2, 2, "gu_ping")]
    assert (2, 3, "ben_ju_zi_jiu") not in licensed(report)


def test_unrescued_gu_ping_fails_in_qilv_even_with_a_level_first_character() -> None:
    # 山雨欲来月满楼 is 平仄仄平仄仄平: the third character is oblique and the fifth no longer
    # rescues it. Counting level tones alone would miss it (山 and 来 are both level).
    report = validate(XIANYANG_DONGLOU.replace("欲来风", "欲来月"), "七律")
    assert where(report) == [(4, 4, "gu_ping")]
    message = report.issues[0].message
    assert message.startswith("第4句犯孤平") and "'欲'" in message and "'月'" in message
    assert report.licences == []


# --- 对句相救: the 出句's 拗 rescued by the 对句 ----------------------------------------------


def test_chu_ju_ao_rescued_by_the_dui_ju_is_accepted_in_wulv() -> None:
    report = validate(DENG_XIANSHAN, "五律")
    assert report.ok
    assert licensed(report) == [
        (1, 4, "dui_ju_xiang_jiu"),
        (2, 3, "dui_ju_xiang_jiu"),
        (2, 3, "ben_ju_zi_jiu"),  # 往来成古今 also rescues its own 孤平
    ]
    first = report.licences[0]
    assert first.tones == "平仄仄仄仄" and first.char == "代"
    assert "第2句第3字'成'用平声相救" in first.message


def test_chu_ju_ao_rescued_by_the_dui_ju_is_accepted_in_qilv() -> None:
    report = validate(JI_HUANG_JIFU, "七律")
    assert report.ok
    assert licensed(report) == [
        (3, 6, "te_shu"),
        (5, 6, "dui_ju_xiang_jiu"),
        (6, 5, "dui_ju_xiang_jiu"),
    ]
    assert report.rhyme_group == "下平十蒸"


def test_chu_ju_ao_with_its_rescue_removed_fails_at_the_chu_ju() -> None:
    report = validate(DENG_XIANSHAN.replace("往来成", "人来见"), "五律")
    assert where(report) == [(1, 4, "ao_jiu")]
    issue = report.issues[0]
    assert (issue.char, issue.expected, issue.found) == ("代", "平", "仄")
    assert issue.message.startswith("第1句第4字'代'应为平声，实为仄声（拗）")
    assert "第2句第3字'见'" in issue.message
    assert report.licences == []


def test_removing_the_double_rescue_breaks_both_rules() -> None:
    # 往来见古今 (仄平仄仄平) neither rescues line 1 nor its own 孤平.
    report = validate(DENG_XIANSHAN.replace("往来成", "往来见"), "五律")
    assert where(report) == [(1, 4, "ao_jiu"), (2, 2, "gu_ping")]


def test_qilv_chu_ju_ao_with_its_rescue_removed_fails() -> None:
    report = validate(JI_HUANG_JIFU.replace("三折", "九折"), "七律")
    assert where(report) == [(5, 6, "ao_jiu")]
    assert "第6句第5字'九'" in report.issues[0].message
    assert licensed(report) == [(3, 6, "te_shu")]


def test_deng_leyouyuan_passes_and_its_rescue_is_checked_when_bu_is_read_oblique() -> (
    None
):
    # 不 has a level 尤韵 reading besides 入声 in 平水韵, and a polyphonic character may take
    # the reading the metre asks for, so the real poem passes without needing the rescue.
    assert validate(DENG_LEYOUYUAN, "五绝").ok
    assert tone_classes("不") == {"平", "仄"}
    # With a certainly oblique fourth character (未) the couplet is the 对句相救 shape …
    certain = DENG_LEYOUYUAN.replace("意不适", "意未适")
    report = validate(certain, "五绝")
    assert report.ok
    assert licensed(report) == [(1, 4, "dui_ju_xiang_jiu"), (2, 3, "dui_ju_xiang_jiu")]
    # … and without 登 to rescue it, line 1 fails at its fourth character.
    broken = validate(certain.replace("驱车登", "驱车入"), "五绝")
    assert where(broken) == [(1, 4, "ao_jiu")]


# --- the report ----------------------------------------------------------------------------


def test_licences_serialise_beside_the_unchanged_report_fields() -> None:
    data = validate(SU_JIANDE_JIANG, "五绝").model_dump(mode="json")
    assert data["ok"] is True and data["issues"] == []
    assert data["variant"] == "平起首句不入韵" and data["rhyme_group"] == "上平十一真"
    (licence,) = data["licences"]
    assert licence["line"] == 1 and licence["position"] == 4 and licence["char"] == "烟"
    assert licence["kind"] == "te_shu" and licence["tones"] == "平平仄平仄"
    assert licence["message"].startswith("第1句'移舟泊烟渚'（平平仄平仄）用特殊形式")


def test_ci_forms_get_no_shi_licences() -> None:
    report = validate(
        "江南好，风景旧曾谙。日出江花红胜火，春来江水绿如蓝。能不忆江南。", "忆江南"
    )
    assert report.ok and report.licences == []
