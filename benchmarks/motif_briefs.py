"""The briefs the motif gallery and benchmark use: the three seed briefs and ten of our own."""

SEED_BRIEFS: tuple[str, ...] = (
    "在秋日的黄昏，一片金色的落叶，在风中飘舞",
    "一幅抽象画，色彩丰富，形态多变，线条流畅，充满动感和节奏感",
    "一段充满活力的乐曲，节奏明快，旋律优美，具有跳跃感和动感",
)
OWN_BRIEFS: tuple[str, ...] = (
    "月夜",
    "江南烟雨",
    "雪后的松林，远山静谧",
    "春天的樱花树下，草地上开满鲜花",
    "夏日的海边，白云和海鸥",
    "清晨的湖面，薄雾笼罩着远山",
    "a lonely pine on a snowy mountain under the moon",
    "sunset over the ocean with birds flying home",
    "a misty river in spring rain, willows along the bank",
    "autumn forest at dusk, leaves scattered on the grass",
)
