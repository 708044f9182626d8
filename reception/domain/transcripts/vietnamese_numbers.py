"""Vietnamese numbers as spoken (mười lăm, hai mươi mốt, một trăm linh năm) ↔ integers, for
search: a transcript may hold either form, whatever the person typed.

Coverage: 0 … 999 999 999, with the common variants (mốt/một, tư/bốn, lăm/nhăm/năm, linh/lẻ,
nghìn/ngàn, the short "hai mốt" for 21). Words typed without diacritics are understood when the
run is unmistakably a number (it contains mười/mươi, trăm, nghìn…): "muoi lam" is 15, but
"sau" alone stays the word "after".

Single words that are more often something else are not taken for numbers on their own —
một (a), ba (father), năm (year), tư (private), không (not), mốt (the day after tomorrow) …
— and the digits 0, 1, 3 and 5 are not expanded to them, which would match half of any
transcript. Inside a run they count: "ba mươi" is 30.
"""

from __future__ import annotations

from collections.abc import Sequence

DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Accepted spellings → digit value (also for the units after mươi / mười / linh).
_DIGITS: dict[str, int] = {w: i for i, w in enumerate(DIGIT_WORDS)} | {
    "mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5, "bẩy": 7}
_TEN, _TENS, _HUNDRED = "mười", "mươi", "trăm"
_ZERO_UNITS = ("linh", "lẻ")
_SCALES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("tỷ", "tỉ"), 1_000_000_000), (("triệu",), 1_000_000), (("nghìn", "ngàn"), 1_000))
# Never a number when alone (they are common words first).
_AMBIGUOUS_ALONE = frozenset({"một", "ba", "năm", "tư", "không", "mốt", "lăm", "nhăm", "linh",
                              "lẻ", "bẩy", "tỷ", "tỉ", "ngàn", "mươi"})
_NOT_SPOKEN_ALONE = frozenset({0, 1, 3, 5})
# Without diacritics, the words below are read as number words; "muoi" is mười or mươi by
# its place (mươi follows a digit). Only runs holding an anchor are taken as numbers.
_PLAIN: dict[str, str] = {
    "khong": "không", "mot": "một", "hai": "hai", "ba": "ba", "bon": "bốn", "nam": "năm",
    "sau": "sáu", "bay": "bảy", "tam": "tám", "chin": "chín", "tu": "tư", "lam": "lăm",
    "nham": "nhăm", "muoi": _TEN, "tram": _HUNDRED, "linh": "linh", "le": "lẻ",
    "nghin": "nghìn", "ngan": "ngàn", "trieu": "triệu", "ty": "tỷ", "ti": "tỉ"}
_PLAIN_ANCHORS = frozenset({"muoi", "tram", "nghin", "trieu"})


def parse_number_words(words: Sequence[str]) -> int | None:
    """The number a run of lower-case words reads as, or None."""
    tokens = _canonical(words)
    if tokens is None or (len(tokens) == 1 and tokens[0] in _AMBIGUOUS_ALONE):
        return None
    return _scaled(tokens, 0)


def number_words(value: int) -> tuple[str, ...]:
    """How `value` is said: the usual reading first, then common variants (at most four)."""
    if not 0 <= value < 1_000_000_000 or value in _NOT_SPOKEN_ALONE:
        return ()
    readings = [r for r in _say(value) if r not in _AMBIGUOUS_ALONE]
    return tuple(dict.fromkeys(readings))[:4]


def _canonical(words: Sequence[str]) -> list[str] | None:
    if not words:
        return None
    if all(w in _DIGITS or w in {_TEN, _TENS, _HUNDRED, *_ZERO_UNITS} or _scale_of(w)
           for w in words):
        return list(words)
    if not (set(words) & _PLAIN_ANCHORS) or not all(w in _PLAIN for w in words):
        return None
    tokens = [_PLAIN[w] for w in words]
    for i in range(1, len(tokens)):  # "hai muoi": mươi, the tens after a digit
        if tokens[i] == _TEN and tokens[i - 1] in _DIGITS and tokens[i - 1] != "không":
            tokens[i] = _TENS
    return tokens


def _scale_of(word: str) -> int:
    return next((size for names, size in _SCALES if word in names), 0)


def _scaled(tokens: list[str], level: int) -> int | None:
    """Split on the largest scale word (triệu, nghìn…) and read each side."""
    for names, size in _SCALES[level:]:
        at = next((i for i, t in enumerate(tokens) if t in names), None)
        if at is None:
            continue
        left = _below_thousand(tokens[:at]) if tokens[:at] else None
        right = _scaled(tokens[at + 1:], _SCALES.index((names, size)) + 1) if tokens[at + 1:] else 0
        if left is None or right is None or left == 0 or right >= size:
            return None
        return left * size + right
    return _below_thousand(tokens)


def _below_thousand(tokens: list[str]) -> int | None:
    hundreds, rest = 0, tokens
    if len(tokens) >= 2 and tokens[1] == _HUNDRED and tokens[0] in DIGIT_WORDS:
        hundreds, rest = DIGIT_WORDS.index(tokens[0]), tokens[2:]
        if rest and rest[0] in _ZERO_UNITS:
            if len(rest) != 2 or _DIGITS.get(rest[1], 0) == 0:
                return None
            return hundreds * 100 + _DIGITS[rest[1]]
    elif tokens and tokens[0] == _HUNDRED:
        hundreds, rest = 1, tokens[1:]
    below = _below_hundred(rest, short=hundreds == 0 and rest is tokens)
    if below is None or (hundreds and rest and below == 0):
        return None
    return hundreds * 100 + below


def _below_hundred(tokens: list[str], *, short: bool) -> int | None:
    match tokens:
        case []:
            return 0
        case [word] if word in DIGIT_WORDS:
            return DIGIT_WORDS.index(word)
        case [word] if word in _DIGITS and word not in ("mốt", "lăm", "nhăm"):
            return _DIGITS[word]
        case [ten] if ten == _TEN:
            return 10
        case [ten, unit] if ten == _TEN and unit in _DIGITS and unit not in ("mốt", "không"):
            return 10 + _DIGITS[unit]
        case [tens, mid] if mid == _TENS and _DIGITS.get(tens, 0) >= 2:
            return _DIGITS[tens] * 10
        case [tens, mid, unit] if mid == _TENS and _DIGITS.get(tens, 0) >= 2 and unit in _DIGITS:
            return _DIGITS[tens] * 10 + _DIGITS[unit] if _DIGITS[unit] else None
        case [tens, unit] if short and _DIGITS.get(tens, 0) >= 2 and unit in ("mốt", "tư", "lăm",
                                                                               "nhăm"):
            return _DIGITS[tens] * 10 + _DIGITS[unit]  # colloquial: hai mốt, ba lăm
    return None


def _say(value: int) -> list[str]:
    for names, size in _SCALES:
        if value >= size:
            high, low = divmod(value, size)
            heads = _say(high)[:1]
            tails = [""] if low == 0 else [_say_part(low)]
            return [f"{h} {name}{' ' + t if t else ''}" for name in names for h in heads
                    for t in tails]
    return _say_below_thousand(value, full=False)


def _say_part(low: int) -> str:
    """The part after a scale word: 1 005 is một nghìn không trăm linh năm."""
    return _say_below_thousand(low, full=True)[0] if low < 1_000 else _say(low)[0]


def _say_below_thousand(value: int, *, full: bool) -> list[str]:
    hundreds, rest = divmod(value, 100)
    if hundreds or (full and value):
        head = f"{DIGIT_WORDS[hundreds]} trăm"
        if rest == 0:
            return [head]
        if rest < 10:
            unit = DIGIT_WORDS[rest]
            return [f"{head} linh {unit}", f"{head} lẻ {unit}"]
        return [f"{head} {r}" for r in _say_below_hundred(rest)[:2]]
    return _say_below_hundred(rest)


def _say_below_hundred(value: int) -> list[str]:
    tens, unit = divmod(value, 10)
    if tens == 0:
        return [DIGIT_WORDS[unit]]
    if tens == 1:
        last = {0: "", 5: "lăm"}.get(unit, DIGIT_WORDS[unit])
        return [f"mười {last}".strip()]
    head = f"{DIGIT_WORDS[tens]} mươi"
    if unit == 0:
        return [head]
    spoken = {1: ["mốt", "một"], 4: ["tư", "bốn"], 5: ["lăm", "nhăm"]}.get(unit, [DIGIT_WORDS[unit]])
    readings = [f"{head} {u}" for u in spoken]
    if unit in (1, 4, 5):
        readings.append(f"{DIGIT_WORDS[tens]} {spoken[0]}")  # hai mốt, hai tư, ba lăm
    return readings
