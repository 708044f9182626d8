import unicodedata

from transcripts import GuardSettings, Segment, filter_segments
from transcripts.guard import longest_ngram_run, rejection_reason, words_of


def seg(text: str, no_speech_prob: float = 0.1, confidence: float = 0.9) -> Segment:
    return Segment(0.0, 1.0, text, confidence, no_speech_prob=no_speech_prob)


def kept(*segments: Segment, settings: GuardSettings | None = None) -> list[str]:
    return [s.text for s in filter_segments(segments, settings or GuardSettings())]


def test_longest_ngram_run_counts_consecutive_repeats_of_any_short_phrase() -> None:
    assert longest_ngram_run([], 4) == 0
    assert longest_ngram_run("a b c d".split(), 4) == 1
    assert longest_ngram_run("x a b a b a b y".split(), 4) == 3
    assert longest_ngram_run("a b a x a b".split(), 4) == 1


def test_a_segment_stuck_in_a_loop_is_dropped() -> None:
    loop = "Cảm ơn các bạn đã theo dõi. " * 5
    assert kept(seg(loop)) == []
    assert rejection_reason(seg(loop), GuardSettings()) == "repeats itself"
    assert kept(seg("the the the the the")) == []


def test_ordinary_speech_with_a_short_repetition_is_kept() -> None:
    text = "No, no, no, that is not what I said."
    assert kept(seg(text)) == [text]
    assert kept(seg("Dạ vâng, tôi hiểu rồi ạ.")) == ["Dạ vâng, tôi hiểu rồi ạ."]


def test_a_line_the_model_rates_as_silence_is_dropped() -> None:
    assert kept(seg("Thank you.", no_speech_prob=0.95)) == []
    assert kept(seg("Thank you.", no_speech_prob=0.3)) == ["Thank you."]


def test_captions_learnt_from_subtitled_videos_are_dropped() -> None:
    assert kept(seg("Hãy subscribe cho kênh Ghiền Mì Gõ để không bỏ lỡ video")) == []
    assert kept(seg("Subtitles by the Amara.org community")) == []


def test_lines_without_any_word_are_dropped() -> None:
    assert kept(seg(" ... "), seg("♪"), seg("")) == []


def test_text_is_normalised_to_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Khiếu  nại\tđất đai")
    [segment] = filter_segments([seg(decomposed)])
    assert segment.text == unicodedata.normalize("NFC", "Khiếu nại đất đai")
    assert unicodedata.is_normalized("NFC", segment.text)


def test_words_compare_case_and_punctuation_insensitively() -> None:
    assert words_of("Tôi, TÔI tôi!") == ["tôi", "tôi", "tôi"]


def test_a_confidence_floor_is_off_by_default_and_applies_when_set() -> None:
    low = seg("maybe words", confidence=0.2)
    assert kept(low) == ["maybe words"]
    assert kept(low, settings=GuardSettings(min_confidence=0.5)) == []
