"""The decoding guard on a toy vocabulary (one token per character), driven the way
llama-cpp-python drives a logits processor: the tokens so far and the next token's scores."""

from __future__ import annotations

import numpy as np

from duetto.llm.guard import (
    Guard,
    Vocabulary,
    ends_sentence,
    known_sentences,
    normalise,
)

CHARS = list("abcdefghijklmnopqrstuvwxyz .,!\"{}:") + ["。", "海", "很", "灰", '."', "<end>"]
EOS = len(CHARS) - 1
VOCAB = Vocabulary(pieces=[c.encode() for c in CHARS[:-1]] + [b""], eos=EOS)
PROMPT = [0, 1, 2]


def tokens(text: str) -> list[int]:
    return [CHARS.index(c) for c in text]


def write(guard: Guard, wanted: str) -> str:
    """What the guard lets through when the model wants ``wanted`` one character at a time:
    at each step the wanted token scores highest; a banned one gives way to the next best."""
    ids = list(PROMPT)
    out = ""
    for ch in wanted:
        scores = np.zeros(len(CHARS), dtype=np.float32)
        scores[CHARS.index(ch)] = 5.0
        scores[CHARS.index("x")] = 1.0  # the model's second choice
        chosen = int(np.argmax(guard(np.array(ids), scores)))
        out += CHARS[chosen] if chosen != EOS else "|"
        ids.append(chosen)
        if chosen == EOS:
            break
    return out


def test_a_sentence_of_the_work_cannot_be_ended_again() -> None:
    guard = Guard(VOCAB, tokens, avoid=["she nodded. the sea was grey."], block_sentences=True)
    assert write(guard, "the sea was grey.") == "the sea was greyx"
    assert guard.bans == 1


def test_a_sentence_written_earlier_in_the_same_completion_cannot_be_ended_again() -> None:
    guard = Guard(VOCAB, tokens, block_sentences=True)
    assert write(guard, "go home. go home.") == "go home. go homex"


def test_short_sentences_may_be_said_again() -> None:
    guard = Guard(VOCAB, tokens, block_sentences=True)
    assert write(guard, "yes. yes.") == "yes. yes."


def test_chinese_sentence_blocking_works_on_characters() -> None:
    guard = Guard(VOCAB, tokens, avoid=["海很灰很灰。"], block_sentences=True)
    assert write(guard, "海很灰很灰。") == "海很灰很灰x"


def test_an_ngram_of_the_work_is_not_written_again() -> None:
    guard = Guard(VOCAB, tokens, avoid=["abcdefgh"], ngram=4)
    assert write(guard, "zabcdq") == "zabcxq"
    guard = Guard(VOCAB, tokens, ngram=4)
    assert write(guard, "abcd abcd") == "abcd abcx"  # its own earlier run counts too


def test_without_the_guard_the_model_would_have_repeated() -> None:
    guard = Guard(VOCAB, tokens)
    assert write(guard, "go home. go home.") == "go home. go home."


def test_wrap_up_ends_the_turn_at_the_first_sentence_end_past_the_budget() -> None:
    guard = Guard(VOCAB, tokens, wrap_up_after=3)
    assert write(guard, "hello there. and more") == "hello there.|"
    assert guard.forced_end
    quoted = Guard(VOCAB, tokens, wrap_up_after=3)
    # not at "go." inside the open quote: at the end of the sentence that closes it
    assert write(quoted, 'he said "go. now" and left. more') == 'he said "go. now" and left.|'


def test_in_json_only_string_values_are_guarded_and_quotes_stay_free() -> None:
    guard = Guard(VOCAB, tokens, json_mode=True, ngram=4, avoid=['{"says": "abcdef"}'])
    # the key "abcd" is free, the value "xabcd" is not; a closing quote is never banned
    assert write(guard, '{"says": "q", "abcd": "xabcd"}') == '{"says": "q", "abcd": "xabcx"}'
    sentences = Guard(VOCAB, tokens, json_mode=True, block_sentences=True, avoid=['{"says": "go home."}'])
    assert write(sentences, '{"then": "go home."}') == '{"then": "go homex"}'
    # a token that ends the sentence and closes the string at once is an ending like any other
    both = Guard(VOCAB, tokens, json_mode=True, block_sentences=True, avoid=['{"says": "go home."}'])
    ids = list(PROMPT)
    for tok in tokens('{"then": "go home'):  # the guard sees the completion token by token
        both(np.array(ids), np.zeros(len(CHARS), dtype=np.float32))
        ids.append(tok)
    scores = np.zeros(len(CHARS), dtype=np.float32)
    scores[CHARS.index('."')] = 5.0
    assert CHARS[int(np.argmax(both(np.array(ids), scores)))] != '."'
    scores[CHARS.index('"')] = 4.0  # but a bare closing quote stays free
    assert CHARS[int(np.argmax(both(np.array(ids), scores)))] == '"'


def test_helpers_agree_on_what_a_sentence_is() -> None:
    assert normalise("She  NODDED!") == normalise("she nodded.") == "shenodded"
    assert known_sentences(["Yes. The sea was grey. 海很灰很灰。"]) == {"theseawasgrey", "海很灰很灰"}
    assert ends_sentence('He left.') and ends_sentence('"Go."') and not ends_sentence('"Go. Now')
    assert not ends_sentence("and then")


def test_a_banned_word_is_banned_in_every_spelling() -> None:
    words = ["a", " up", " the", " stairs", "stairs", " Stairs", " hall", "<end>"]
    vocab = Vocabulary(pieces=[w.encode() for w in words[:-1]] + [b""], eos=len(words) - 1)
    guard = Guard(vocab, lambda t: [], ngram=3)
    guard._remember_all([1, 2, 3])  # " up the stairs" was written
    ids = [0, 1, 2]  # prompt "a", then " up the"
    guard(np.array(ids[:1]), np.zeros(len(words), dtype=np.float32))
    guard(np.array(ids[:2]), np.zeros(len(words), dtype=np.float32))
    scores = np.array([0, 0, 0, 5, 4, 3, 1, 0], dtype=np.float32)
    out = guard(np.array(ids), scores)
    assert words[int(np.argmax(out))] == " hall"  # not "stairs" glued on, nor " Stairs"
