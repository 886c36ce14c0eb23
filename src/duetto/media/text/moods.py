"""The Chinese words a poem prompt uses for the spec's mood (忧伤, 怀旧, 明朗 …).

The classical poet (``poem``) and the modern forms (``verse``, Chinese free verse) both ask for
the feeling in these words, so they live here, below both.
"""

from __future__ import annotations

from duetto.spec import CreativeSpec

MOOD_ZH = {
    "calm": "宁静", "serene": "恬淡", "melancholic": "忧伤", "sad": "悲凉", "joyful": "欢快",
    "cheerful": "明快", "energetic": "昂扬", "playful": "灵动", "nostalgic": "怀旧", "gentle": "温柔",
    "lonely": "孤寂", "mysterious": "幽深", "dreamy": "空灵", "passionate": "热烈", "tense": "紧张",
    "dark": "沉郁", "hopeful": "希望", "romantic": "缠绵", "solemn": "庄重", "angry": "激愤",
}


def moods_zh(spec: CreativeSpec) -> list[str]:
    """The spec's named moods in Chinese, once each; with none named, 低回 for a clearly sad
    valence and 明朗 for a clearly happy one."""
    moods = [MOOD_ZH[m] for m in spec.mood.named if m in MOOD_ZH]
    if not moods and spec.mood.valence < -0.25:
        moods = ["低回"]
    elif not moods and spec.mood.valence > 0.4:
        moods = ["明朗"]
    return list(dict.fromkeys(moods))
