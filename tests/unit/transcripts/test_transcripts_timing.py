"""Line times agree with where voice activity detection heard speech: a first word stretched over
the seam to a far chunk does not drag its line minutes back, and no line is squeezed into a
few milliseconds."""

from transcripts import Segment, Word
from transcripts.timing import (
    MIN_WORD_SECONDS,
    SpeechChunk,
    outside_speech,
    pad_regions,
    plausible,
    to_file_times,
)

RATE = 16_000


def chunks(*regions: tuple[float, float]) -> tuple[SpeechChunk, ...]:
    cores = [(round(a * RATE), round(b * RATE)) for a, b in regions]
    return pad_regions(cores, round(300 * RATE), pad=round(0.4 * RATE))


def line(words: list[tuple[float, float, str]], text: str | None = None) -> Segment:
    found = tuple(Word(a, b, w, 0.9) for a, b, w in words)
    return Segment(found[0].start, found[-1].end, text or " ".join(w for _, _, w in words), 0.9,
                   found)


def test_regions_are_padded_as_faster_whisper_pads_them() -> None:
    padded = chunks((1.2, 1.3), (60.4, 62.4), (62.9, 64.0))
    assert [(c.start, c.end) for c in padded] == [(0.8, 1.7), (60.0, 62.65), (62.65, 64.4)]
    assert [c.offset for c in padded] == [0.0, 0.9, 3.55]
    assert (padded[1].core_start, padded[1].core_end) == (60.4, 62.4)


def test_a_first_word_stretched_over_the_seam_joins_its_line() -> None:
    # A cough at 1.2 s was taken for speech; the sentence starts at 60.4 s. Whisper stretched
    # its first word from the cough's chunk (joined 0..0.9) over the seam.
    padded = chunks((1.2, 1.3), (60.4, 62.4))
    said = line([(0.0, 0.88, "Anh"), (0.88, 1.02, "chỉ"), (1.02, 1.22, "muốn"),
                 (1.22, 2.9, "được nhìn nhận")])
    placed = to_file_times(said, padded)
    assert 59.9 <= placed.start <= 60.4 and placed.end <= 62.65
    assert all(w.end - w.start >= MIN_WORD_SECONDS - 1e-9 for w in placed.words)


def test_words_of_one_line_in_two_close_chunks_keep_their_own_times() -> None:
    padded = chunks((10.0, 11.0), (12.0, 13.0))  # a pause inside a sentence
    assert [(c.start, c.end, c.offset) for c in padded] == [(9.6, 11.4, 0.0), (11.6, 13.4, 1.8)]
    said = line([(0.3, 0.8, "Tôi"), (0.8, 1.2, "muốn"), (2.2, 2.6, "khiếu"), (2.6, 3.0, "nại")])
    placed = to_file_times(said, padded)
    assert [round(w.start, 2) for w in placed.words] == [9.9, 10.4, 12.0, 12.4]


def test_a_long_phrase_in_another_chunk_is_not_moved() -> None:
    padded = chunks((5.0, 8.0), (40.0, 42.0))
    words = [(0.5 + 0.4 * i, 0.9 + 0.4 * i, f"w{i}") for i in range(6)]  # in the first chunk
    words += [(4.2 + 0.3 * i, 4.5 + 0.3 * i, f"v{i}") for i in range(3)]  # in the second
    placed = to_file_times(line(words), padded)
    assert placed.start < 6.0 and placed.end > 40.0


def test_a_line_squeezed_into_40_ms_gets_a_plausible_duration_inside_its_speech() -> None:
    padded = chunks((20.0, 26.0))
    squeezed = line([(22.0, 22.01, "Cảm"), (22.01, 22.02, "ơn"), (22.02, 22.03, "các"),
                     (22.03, 22.04, "anh")])
    [fixed] = plausible([squeezed], padded)
    assert fixed.end - fixed.start >= 4 * MIN_WORD_SECONDS - 1e-9
    assert 19.6 <= fixed.start and fixed.end <= 26.4
    assert [w.start for w in fixed.words] == sorted(w.start for w in fixed.words)


def test_growing_a_line_never_overlaps_the_next_one() -> None:
    padded = chunks((20.0, 26.0))
    first = line([(21.0, 21.01, "Vâng"), (21.01, 21.02, "ạ")])
    second = line([(21.05, 21.6, "Tôi"), (21.6, 22.2, "hiểu")])
    fixed = plausible([first, second], padded)
    assert fixed[0].end <= fixed[1].start
    assert fixed[0].end - fixed[0].start >= 2 * MIN_WORD_SECONDS - 1e-9


def test_a_line_wholly_where_vad_heard_no_speech_is_outside_speech() -> None:
    padded = chunks((20.0, 26.0))  # padded to 19.6..26.4
    after_the_last_word = Segment(26.05, 26.35, "Cảm ơn các bạn ạ!", 0.48)
    inside = Segment(25.5, 26.2, "đằng xa", 0.8)
    assert outside_speech(after_the_last_word, padded)
    assert not outside_speech(inside, padded)
