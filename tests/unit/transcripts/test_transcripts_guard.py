"""The line review: confident speech is never removed; doubtful lines are kept and marked; only
what provably carries no speech of the hearing is left out, and then on record."""

import unicodedata

from transcripts import Doubt, GuardSettings, Segment, Word, filter_segments, screen
from transcripts.guard import doubts_of, drop_reason, longest_ngram_run, words_of


def seg(text: str, no_speech_prob: float = 0.1, confidence: float = 0.9, start: float = 0.0,
        end: float = 1.0, avg_logprob: float = -0.3, word_probability: float | None = None
        ) -> Segment:
    words = ()
    if word_probability is not None:
        names = text.split()
        step = (end - start) / max(1, len(names))
        words = tuple(Word(start + i * step, start + (i + 1) * step, w, word_probability)
                      for i, w in enumerate(names))
    return Segment(start, end, text, confidence, words, no_speech_prob=no_speech_prob,
                   avg_logprob=avg_logprob)


def kept(*segments: Segment, settings: GuardSettings | None = None) -> list[str]:
    return [s.text for s in filter_segments(segments, settings or GuardSettings())]


def test_longest_ngram_run_counts_consecutive_repeats_of_any_short_phrase() -> None:
    assert longest_ngram_run([], 4) == 0
    assert longest_ngram_run("a b c d".split(), 4) == 1
    assert longest_ngram_run("x a b a b a b y".split(), 4) == 3
    assert longest_ngram_run("a b a x a b".split(), 4) == 1


def test_confident_speech_in_a_window_rated_as_silence_is_kept_unmarked() -> None:
    # The reported case: faster-whisper copies one window's no_speech_prob to all its lines.
    lines = [seg(f"Câu số {n} của công dân.", no_speech_prob=0.93, confidence=c,
                 word_probability=c, start=n * 4.0, end=n * 4.0 + 3.0)
             for n, c in enumerate((0.58, 0.71, 0.85, 0.99, 0.64, 0.9))]
    result = screen(lines)
    assert [s.text for s in result.kept] == [s.text for s in lines]
    assert result.dropped == ()
    # Not even marked as possible silence: the words themselves were heard clearly.
    assert all(Doubt.NO_SPEECH not in s.doubts for s in result.kept)
    floor = GuardSettings().low_confidence
    assert [s.doubts for s in result.kept if s.confidence >= floor] == [()] * sum(
        1 for s in lines if s.confidence >= floor)


def test_whisper_s_silence_test_marks_a_line_only_when_both_halves_hold() -> None:
    settings = GuardSettings()
    murky = seg("ừ thì", no_speech_prob=0.9, confidence=0.2, word_probability=0.2)
    assert Doubt.NO_SPEECH in doubts_of(murky, settings)
    assert kept(murky) == ["ừ thì"]  # marked, not dropped
    clear = seg("Tôi xin trình bày", no_speech_prob=0.9, word_probability=0.8)
    assert Doubt.NO_SPEECH not in doubts_of(clear, settings)
    quiet_window = seg("ừ thì", no_speech_prob=0.2, confidence=0.2, word_probability=0.2)
    assert Doubt.NO_SPEECH not in doubts_of(quiet_window, settings)


def test_low_confidence_lines_are_marked_never_dropped() -> None:
    [line] = screen([seg("có thể là như vậy", confidence=0.3)]).kept
    assert line.doubts == (Doubt.LOW_CONFIDENCE,)


def test_a_phrase_looping_inside_a_line_is_marked_not_dropped() -> None:
    loop = "Cảm ơn các bạn đã theo dõi. " * 5
    [line] = screen([seg(loop)]).kept
    assert Doubt.REPETITION in line.doubts
    text = "No, no, no, that is not what I said."
    assert kept(seg(text)) == [text]
    assert screen([seg(text)]).kept[0].doubts == ()


def test_the_same_short_line_many_times_in_a_row_is_kept_once_and_counted() -> None:
    lines = [seg("Cảm ơn.", start=t, end=t + 1.5) for t in range(0, 24, 2)]
    result = screen(lines)
    [line] = result.kept
    assert (line.start, line.end, line.repeats) == (0.0, 23.5, 12)
    assert Doubt.REPETITION in line.doubts
    assert len(result.dropped) == 11 and {d.reason for d in result.dropped} == {"repeated line"}


def test_answers_separated_by_pauses_or_too_few_are_not_a_loop() -> None:
    answers = [seg("Vâng.", start=t, end=t + 0.6) for t in range(0, 60, 10)]  # 9 s apart
    assert len(screen(answers).kept) == 6
    four = [seg("Cảm ơn.", start=t, end=t + 1.5) for t in range(0, 8, 2)]
    assert len(screen(four).kept) == 4
    long_line = "Tôi muốn khiếu nại quyết định thu hồi đất."  # a looping microphone: real words
    assert len(screen([seg(long_line, start=t, end=t + 3) for t in range(0, 20, 4)]).kept) == 5


def test_captions_learnt_from_subtitled_videos_are_left_out_on_record() -> None:
    result = screen([seg("Hãy subscribe cho kênh Ghiền Mì Gõ để không bỏ lỡ video"),
                     seg("Subtitles by the Amara.org community")])
    assert result.kept == ()
    assert [d.reason for d in result.dropped] == ["known caption", "known caption"]


def test_a_caption_word_inside_real_speech_keeps_the_line() -> None:
    text = "Tôi đã đăng ký kênh phản ánh của xã nhưng không ai trả lời."
    assert kept(seg(text)) == [text]
    assert drop_reason(seg("Thanks for watching, and now my complaint about the land")) is None


def test_lines_without_any_word_are_left_out_on_record() -> None:
    result = screen([seg(" ... "), seg("♪"), seg("")])
    assert result.kept == () and [d.reason for d in result.dropped] == ["no words"] * 3


def test_extra_doubts_mark_every_line() -> None:
    [line] = screen([seg("Xin chào")], extra=(Doubt.LANGUAGE,)).kept
    assert line.doubts == (Doubt.LANGUAGE,)


def test_text_is_normalised_to_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Khiếu  nại\tđất đai")
    [segment] = filter_segments([seg(decomposed)])
    assert segment.text == unicodedata.normalize("NFC", "Khiếu nại đất đai")
    assert unicodedata.is_normalized("NFC", segment.text)


def test_words_compare_case_and_punctuation_insensitively() -> None:
    assert words_of("Tôi, TÔI tôi!") == ["tôi", "tôi", "tôi"]
