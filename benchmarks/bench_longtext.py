"""Coherent long text: do stories deliver their brief's event, and scripts keep their premise?

20 story briefs and 20 script briefs (zh and en mixed), each with a concrete event (stories) or
a premise fact (scripts: a blackout is dark, a storm is wet), made with ``operations.new`` on the
default model, one variant each, a fixed seed. Sizes are modest so a full run of 40 fits in
about 20–25 minutes on two cores: 200-word stories (三段), 2-scene scripts of 4 exchanges.

Per set it prints:

* ``repeat``: share of sentences that say an earlier sentence of the same work again (after
  normalising case, spaces and punctuation), anywhere in the work;
* ``unfinished``: story sections (or script scenes) whose prose stops mid-sentence;
* stories: ``event``: share whose text holds the brief's event (every word group of it);
* scripts: ``present``: share of scenes that show the premise fact (dark, wet …),
  ``violations``: lines that contradict it (a streetlamp in a blackout), and the craft faults
  ``absent`` (a character speaks after leaving), ``quotes`` (unbalanced quotes in a line),
  ``empty`` (an empty parenthetical such as "(empty)").

    python benchmarks/bench_longtext.py --json /tmp/after.json
    python benchmarks/bench_longtext.py --limit 5              # 5 of each set, zh/en and facts mixed
    python benchmarks/bench_longtext.py --from-json /tmp/before.json   # re-score stored texts

Every measure is written here, from the text alone, with its own word lists (not the engines'
validator), and the works are made through ``operations.new`` only, so the same script measures
an older tree with ``PYTHONPATH=<old>/src``. Run it under ``flock /tmp/duetto-model.lock``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

# (brief, event: groups of words, one of each group must appear)
STORIES: list[tuple[str, list[list[str]]]] = [
    ("A lighthouse keeper finds a message in a bottle on the rocks", [["bottle"], ["message", "letter", "note"]]),
    ("A boy loses his grandfather's pocket watch at the market and gets it back", [["watch"], ["market"]]),
    ("A baker's oven breaks down on the morning of a wedding", [["oven"], ["wedding"]]),
    ("Two strangers are stuck in a lift during a storm", [["lift", "elevator"], ["stuck", "stopped", "trapped"]]),
    ("A violinist breaks a string in the middle of her concert", [["string"], ["concert", "stage", "audience"]]),
    ("A fisherman catches a golden key in his net", [["key"], ["net"]]),
    ("A girl's kite gets caught in the church tower", [["kite"], ["tower", "steeple", "bell"]]),
    ("An old man plants a tree on the day his shop closes", [["tree", "sapling"], ["shop", "store"]]),
    ("A nurse finds a stray dog in the hospital car park at night", [["dog"], ["hospital"]]),
    ("A train stops in the snow and the passengers share their food", [["train"], ["snow"], ["share", "shared", "sharing", "food"]]),
    ("外婆的老座钟停了，孙女决定把它修好", [["钟"], ["修"]]),
    ("一个邮递员在暴雨中送最后一封信", [["信"], ["雨"]]),
    ("小镇的理发店要关门了，老顾客们最后一次来理发", [["理发"], ["关门", "关张", "最后"]]),
    ("一个女孩在旧书里发现了一张四十年前的车票", [["车票"], ["书"]]),
    ("两个邻居为一棵越过院墙的柿子树争吵", [["柿子"], ["墙"]]),
    ("春节前夜，一家人在厨房里包饺子时停电了", [["饺子"], ["停电", "黑"]]),
    ("一个老渔民在海边教孙子补渔网", [["渔网", "网"], ["孙"]]),
    ("一只走失的猫在雪夜回到了家", [["猫"], ["雪"]]),
    ("一位乡村教师收到了学生寄来的包裹", [["包裹"], ["学生"]]),
    ("地铁末班车上，一个陌生人还给她丢失的钱包", [["钱包"], ["地铁", "末班车", "车厢"]]),
]

# Premise facts a script must keep in every scene: words that show it, words that break it.
FACTS: dict[str, tuple[str, str]] = {
    "dark": (
        r"\b(dark|darkness|candles?|candlelight|flashlight|torch|torchlight|matches|match|lighter|moonlight|"
        r"shadows?|blackout|pitch[- ]black|gloom)\b|黑|暗|蜡烛|烛光|手电|火柴|打火机|月光|停电",
        r"\b(street ?lamps?|street ?lights?|neon|fluorescent|television|tv|microwave|lamplight|ceiling light|"
        r"(lights?|lamps?) (is |are )?(on|glow|glows|glowing|shine|shines|shining|flicker on|come on|comes on)|"
        r"(turns?|switch(es)?|flicks?) on (the )?(light|lamp|tv|television|radio)|sunlight|sunshine|bright(ly)? lit|"
        r"light (floods|pours|spills)|fridge hums|refrigerator hums)\b|路灯|霓虹|日光灯|电视|开灯|灯亮|灯光|台灯|吊灯|阳光|微波炉|冰箱嗡",
    ),
    "rain": (
        r"\b(rain|raining|rains|rainwater|wet|soaked|drenched|umbrellas?|puddles?|storm|downpour|drips?|dripping)\b|雨|湿|伞|水洼|淋",
        r"\b(sunny|sunshine|dry sky|cloudless|clear sky|sunbathe|blazing sun)\b|晴朗|烈日|阳光明媚|万里无云",
    ),
    "snow": (
        r"\b(snow|snowing|snowflakes?|snowdrifts?|frost|frozen|ice|icy|cold|freezing|shiver(s|ing)?|breath mists?)\b|雪|冰|冷|寒|霜|哆嗦",
        r"\b(sunbathe|sweat(s|ing)?|heatwave|scorching|sweltering|blazing sun|swimsuit)\b|烈日|酷热|汗流|炎热|晒太阳",
    ),
    "night": (
        r"\b(night|midnight|dark|darkness|moon|moonlight|stars?|late|lamp|streetlight|asleep)\b|夜|月|星|深夜|凌晨|黑",
        r"\b(noon|midday|sunrise|morning sun|afternoon|sunlit|broad daylight|blazing sun)\b|中午|正午|下午|烈日|大白天",
    ),
    "heat": (
        r"\b(heat|hot|sweat|sweats|sweating|sweltering|scorching|sun|fan|thirsty|swelter|heatwave)\b|热|汗|烈日|扇|暑|蝉",
        r"\b(snow|snowing|frost|frozen|shivers?|shivering|freezing|icicles?|blizzard|mittens)\b|雪|结冰|冻得|寒风|哆嗦",
    ),
}

SCRIPTS: list[tuple[str, str]] = [
    ("A family cooks dinner in their kitchen during a blackout", "dark"),
    ("Two rival chess players finish their match by candlelight after a power cut", "dark"),
    ("A night guard and a burglar meet in a museum during a blackout", "dark"),
    ("Three flatmates wait out a power cut in a tiny apartment", "dark"),
    ("停电的夜晚，母女俩在厨房里摸黑做饭", "dark"),
    ("大楼停电，两个同事被困在漆黑的办公室里", "dark"),
    ("Two brothers bury their father's ashes in pouring rain", "rain"),
    ("A bride waits at a bus stop in a thunderstorm", "rain"),
    ("暴雨夜，出租车司机载着一位不肯说去哪儿的乘客", "rain"),
    ("大雨中，两个少年在屋檐下躲雨，说起各自的心事", "rain"),
    ("Two climbers shelter in a tent in a snowstorm", "snow"),
    ("A postman delivers a parcel to a lonely farmhouse in deep snow", "snow"),
    ("大雪封山，护林员和迷路的游客在木屋里过夜", "snow"),
    ("除夕大雪，老两口在站台上等儿子回家", "snow"),
    ("A nurse and a patient talk at midnight in an empty ward", "night"),
    ("深夜的便利店，店员和一个失眠的老人聊天", "night"),
    ("午夜的天台上，两个老同学重逢", "night"),
    ("On the hottest day of summer, an ice-cream van breaks down outside a school", "heat"),
    ("酷暑午后，工地上的父子在树荫下吃午饭", "heat"),
    ("三伏天，两个老人在没有空调的楼道里下象棋", "heat"),
]

END = re.compile(r"[.!?。！？…][\"'”’」』）)\]*_]*$")
SENT = re.compile(r"[^.!?。！？…]+[.!?。！？…]*[\"'”’」』）)]*")
LEAVE = re.compile(r"\b(leaves|walks out|exits|goes out|storms out|is gone|disappears|slips out|hurries out|runs out)\b|离开|走出|出门|走了出去|消失", re.I)
ENTER = re.compile(r"\b(enters|comes in|comes back|returns|walks in|reappears|steps in|is back)\b|走进|进来|回来|进门", re.I)
EMPTY_PAREN = re.compile(r"^[(（]\s*(empty|none|blank|n/?a|nothing|silence|-|—|无|空|没有)?\s*[)）]$", re.I)


def lang_of(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def norm(sentence: str) -> str:
    return re.sub(r"[\W_]+", "", sentence.lower())


def sentence_list(text: str) -> list[str]:
    return [s.strip() for s in SENT.findall(text) if len(norm(s)) >= 4]


def repeat_share(sents: list[str]) -> tuple[int, int]:
    """(sentences that repeat an earlier one, sentences)."""
    seen: set[str] = set()
    again = 0
    for s in sents:
        k = norm(s)
        if k in seen:
            again += 1
        seen.add(k)
    return again, len(sents)


def story_sections(md: str) -> list[str]:
    parts = re.split(r"^## .*$", md, flags=re.M)[1:]
    return [p.strip() for p in parts]


def score_story(entry: dict) -> dict:
    text = entry["text"]
    sections = story_sections(text)
    prose = "\n".join(sections)
    again, n = repeat_share(sentence_list(prose))
    low = prose.lower()
    event = all(any(w.lower() in low for w in group) for group in entry["event"])
    unfinished = sum(1 for s in sections if s and not END.search(s.rstrip()))
    return {"again": again, "sentences": n, "unfinished": unfinished, "sections": len(sections), "event": event}


def script_scenes(fountain: str) -> list[list[tuple[str, str]]]:
    """Scenes as lists of (kind, text): kind is action, cue, paren or line (a plain reading of
    the Fountain the screenwriter writes: headings, cues before dialogue, blank-line blocks)."""
    scenes: list[list[tuple[str, str]]] = []
    blocks = re.split(r"\n\s*\n", fountain.replace("\r", ""))
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        head = lines[0]
        if re.match(r"^\.?(INT|EXT)[. /]", head, re.I):
            scenes.append([])
            continue
        if not scenes:  # the title page and FADE IN
            continue
        if head.startswith(">") or re.fullmatch(r"[A-Z ]+TO:", head):
            continue
        if len(lines) >= 2 and (head.startswith("@") or (head.upper() == head and re.search(r"[A-Z]", head))):
            scenes[-1].append(("cue", head.lstrip("@").strip()))
            for ln in lines[1:]:
                scenes[-1].append(("paren" if ln[:1] in "(（" and ln[-1:] in ")）" else "line", ln))
            continue
        for ln in lines:
            scenes[-1].append(("action", ln.lstrip("!")))
    return scenes


def score_script(entry: dict) -> dict:
    present_re, broken_re = (re.compile(p, re.I) for p in FACTS[entry["fact"]])
    scenes = script_scenes(entry["text"])
    body = [t for sc in scenes for k, t in sc if k in ("action", "line")]
    again, n = repeat_share([s for t in body for s in sentence_list(t)])
    present = sum(1 for sc in scenes if any(present_re.search(t) for k, t in sc if k in ("action", "line")))
    violations = sum(1 for t in body if broken_re.search(t))
    absent = quotes = empty = 0
    unfinished = 0
    for sc in scenes:
        gone: set[str] = set()
        speaker = ""
        texts = [t for k, t in sc if k in ("action", "line")]
        if texts and not END.search(texts[-1]):
            unfinished += 1
        for kind, t in sc:
            if kind == "cue":
                speaker = re.sub(r"\s*\(.*\)$", "", t)
                if speaker in gone:
                    absent += 1
            elif kind == "paren" and EMPTY_PAREN.match(t):
                empty += 1
            elif kind == "action":
                if t.count('"') % 2 or t.count("“") != t.count("”"):
                    quotes += 1
                for sentence in sentence_list(t) or [t]:
                    subject = _subject(sentence, _speakers(sc))
                    if subject and LEAVE.search(sentence):
                        gone.add(subject)
                    if subject and ENTER.search(sentence):
                        gone.discard(subject)
            elif kind == "line" and (t.count('"') % 2 or t.count("“") != t.count("”")):
                quotes += 1
    return {"again": again, "sentences": n, "unfinished": unfinished, "scenes": len(scenes), "present": present,
            "violations": violations, "absent": absent, "quotes": quotes, "empty": empty}


def _subject(sentence: str, names: set[str]) -> str:
    """The speaker named first in a sentence (its subject, in the action lines models write)."""
    low = sentence.lower()
    where = {n: low.find(n.lower()) for n in names if n and n.lower() in low}
    return min(where, key=lambda n: where[n]) if where else ""


def _speakers(scene: list[tuple[str, str]]) -> set[str]:
    return {re.sub(r"\s*\(.*\)$", "", t) for k, t in scene if k == "cue"}


def spread(items: list, limit: int | None, group) -> list:  # type: ignore[no-untyped-def]
    """The first ``limit`` items in an order that mixes languages and groups (premise facts):
    round by round, one item of each group, the language alternating, so ``--limit 5`` gives
    zh and en stories and one script of each premise fact."""
    if limit is None:
        return list(items)
    groups = list(dict.fromkeys(group(it) for it in items))
    left = list(items)
    out: list = []
    turn = 0
    while left and len(out) < limit:
        for g in groups:
            pool = [it for it in left if group(it) == g]
            if not pool:
                continue
            want = "en" if turn % 2 == 0 else "zh"
            pick = next((it for it in pool if lang_of(it[0]) == want), pool[0])
            out.append(pick)
            left.remove(pick)
            turn += 1
            if len(out) == limit:
                break
    return out


def make(limit: int | None, seed: int, keep: Path | None) -> list[dict]:
    """Make the works through ``operations.new``; each finished one is written to ``keep`` at
    once, so a stopped run still leaves what it made."""
    from duetto.settings import Settings
    from duetto.studio import Studio, operations

    out: list[dict] = []
    jobs = [("story", b, {"event": e}) for b, e in spread(STORIES, limit, lambda s: "")] + \
           [("script", b, {"fact": f}) for b, f in spread(SCRIPTS, limit, lambda s: s[1])]
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(Settings(home=Path(tmp) / "studio", user="bench"))
        for medium, brief, extra in jobs:
            params = {"words": 200} if medium == "story" else {"scenes": 2, "exchanges": 4}
            t0 = time.perf_counter()
            result = operations.new(studio, operations.NewRequest(
                brief=brief, media=[medium], variants=1, seed=seed, params=params))
            v = result.versions[0]
            entry = {"medium": medium, "brief": brief, "lang": lang_of(brief), **extra,
                     "text": studio.blobs.read(v.sha256, v.ext).decode("utf-8"),
                     "seconds": round(time.perf_counter() - t0, 1)}
            out.append(entry)
            if keep is not None:
                keep.write_text(json.dumps({"entries": out}, ensure_ascii=False, indent=1))
            print(f"{medium:<7}{brief[:40]:<42} {entry['seconds']:>6.1f} s", file=sys.stderr, flush=True)
        studio.close()
    return out


def table(entries: list[dict]) -> dict:
    summary: dict[str, dict] = {}
    stories = [(e, score_story(e)) for e in entries if e["medium"] == "story"]
    scripts = [(e, score_script(e)) for e in entries if e["medium"] == "script"]
    if stories:
        print(f"{'story brief':<44} {'repeat':>7} {'unfin':>6} {'event':>6} {'s':>6}")
        for e, s in stories:
            share = s["again"] / max(1, s["sentences"])
            print(f"{e['brief'][:42]:<44} {share:>7.0%} {s['unfinished']:>3}/{s['sections']:<2} "
                  f"{'yes' if s['event'] else 'NO':>6} {e.get('seconds', 0):>6.0f}")
        rs = [s for _, s in stories]
        summary["stories"] = {
            "works": len(rs),
            "repeated_sentence_share": round(sum(s["again"] for s in rs) / max(1, sum(s["sentences"] for s in rs)), 4),
            "works_with_repeats": sum(1 for s in rs if s["again"]),
            "unfinished_sections": sum(s["unfinished"] for s in rs), "sections": sum(s["sections"] for s in rs),
            "event_delivered": round(sum(s["event"] for s in rs) / len(rs), 3),
            "seconds_mean": round(sum(e.get("seconds", 0) for e, _ in stories) / len(rs), 1),
        }
    if scripts:
        print(f"\n{'script brief':<44} {'fact':<6} {'repeat':>7} {'unfin':>6} {'present':>8} {'viol':>5} "
              f"{'absent':>6} {'quotes':>6} {'empty':>5}")
        for e, s in scripts:
            share = s["again"] / max(1, s["sentences"])
            print(f"{e['brief'][:42]:<44} {e['fact']:<6} {share:>7.0%} {s['unfinished']:>3}/{s['scenes']:<2} "
                  f"{s['present']:>5}/{s['scenes']:<2} {s['violations']:>5} {s['absent']:>6} {s['quotes']:>6} {s['empty']:>5}")
        rs = [s for _, s in scripts]
        summary["scripts"] = {
            "works": len(rs),
            "repeated_sentence_share": round(sum(s["again"] for s in rs) / max(1, sum(s["sentences"] for s in rs)), 4),
            "unfinished_scenes": sum(s["unfinished"] for s in rs), "scenes": sum(s["scenes"] for s in rs),
            "premise_present_share": round(sum(s["present"] for s in rs) / max(1, sum(s["scenes"] for s in rs)), 3),
            "premise_violations": sum(s["violations"] for s in rs),
            "scripts_with_violations": sum(1 for s in rs if s["violations"]),
            "absent_speakers": sum(s["absent"] for s in rs), "unbalanced_quotes": sum(s["quotes"] for s in rs),
            "empty_parentheticals": sum(s["empty"] for s in rs),
            "seconds_mean": round(sum(e.get("seconds", 0) for e, _ in scripts) / len(rs), 1),
        }
    print()
    for name, figures in summary.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N briefs of each set")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", type=Path, default=None, help="store the texts and figures here")
    ap.add_argument("--from-json", type=Path, default=None, help="score texts stored by an earlier run")
    args = ap.parse_args(argv)
    if args.from_json:
        entries = json.loads(args.from_json.read_text())["entries"]
    else:
        entries = make(args.limit, args.seed, args.json)
    summary = table(entries)
    if args.json and not args.from_json:
        args.json.write_text(json.dumps({"entries": entries, "summary": summary}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
