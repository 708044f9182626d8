"""Where each line was said: times from the decoder, made to agree with where voice activity
detection (VAD) heard speech.

The engine decodes only the speech: VAD's regions, each padded (`SpeechChunk`), joined end to
end. Whisper times words by aligning them with its attention, which is loose at the seams:
a sentence's first word may land in the padding of the chunk before (then the line, mapped
back to the file, starts minutes early, in a stretch of silence), and a line at the end of a
window may be squeezed into a few milliseconds. So:

- a line's first or last word (or two) decoded in another chunk than the rest of the line
  belongs with the rest when it straddles the seam between the chunks, lies wholly in the
  chunk's padding (where VAD heard no speech) or stands far (`MAX_PAUSE_SECONDS`) from it;
- every time is clamped into the chunk the word belongs to;
- a word lasts at least `min_word` seconds and a line at least that much per word, grown
  inside its own chunk and never over the next or previous line of the same speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .guard import words_of
from .values import Segment, Word

MIN_WORD_SECONDS = 0.1  # ten syllables a second is already very fast Vietnamese
MAX_PAUSE_SECONDS = 3.0  # an edge word farther than this from its line, across chunks, is moved
MOVED_WORD_SECONDS = 0.4  # how long a moved word is taken to last, at most
EDGE_WORDS = 2  # at most this many words at a line's edge are moved to the rest of the line


@dataclass(frozen=True, slots=True)
class SpeechChunk:
    """One VAD region of a file, in seconds: padded bounds, the speech VAD heard inside, and
    where the chunk begins in the joined speech audio the decoder saw."""

    start: float
    end: float
    core_start: float
    core_end: float
    offset: float

    @property
    def length(self) -> float:
        return self.end - self.start


def pad_regions(cores: Sequence[tuple[int, int]], samples: int, pad: int,
                rate: int = 16_000) -> tuple[SpeechChunk, ...]:
    """Pad VAD's speech regions (in samples) the way faster-whisper pads them: `pad` on each
    side, or half the silence when two regions are closer than two pads."""
    bounds = [[start, end] for start, end in cores]
    for i, bound in enumerate(bounds):
        if i == 0:
            bound[0] = max(0, bound[0] - pad)
        if i < len(bounds) - 1:
            following = bounds[i + 1]
            silence = following[0] - bound[1]
            if silence < 2 * pad:
                bound[1] += silence // 2
                following[0] = max(0, following[0] - silence // 2)
            else:
                bound[1] = min(samples, bound[1] + pad)
                following[0] = max(0, following[0] - pad)
        else:
            bound[1] = min(samples, bound[1] + pad)
    chunks, offset = [], 0
    for (core_start, core_end), (start, end) in zip(cores, bounds, strict=True):
        chunks.append(SpeechChunk(start / rate, end / rate, core_start / rate, core_end / rate,
                                  offset / rate))
        offset += end - start
    return tuple(chunks)


def _chunk_at(chunks: Sequence[SpeechChunk], joined_time: float) -> int:
    for index in range(len(chunks) - 1, -1, -1):
        if joined_time >= chunks[index].offset:
            return index
    return 0


def _in_padding(chunk: SpeechChunk, joined_start: float, joined_end: float) -> bool:
    core_start = chunk.offset + chunk.core_start - chunk.start
    core_end = chunk.offset + chunk.core_end - chunk.start
    return joined_end <= core_start or joined_start >= core_end


def _place(chunk: SpeechChunk, joined: float) -> float:
    return min(chunk.end, max(chunk.start, joined - chunk.offset + chunk.start))


def _crosses_seam(chunk: SpeechChunk, joined_start: float, joined_end: float) -> bool:
    return joined_start < chunk.offset or joined_end > chunk.offset + chunk.length


def _chunks_of_words(words: Sequence[Word], chunks: Sequence[SpeechChunk]) -> list[int]:
    """Each word's chunk: by its middle (as faster-whisper does), except for the words at the
    edges of the line that lie in another chunk than most of the line (its home): a run of
    at most `EDGE_WORDS` such words (fewer than stay home) joins the home chunk when each of
    them crosses the seam or lies wholly in padding, or when it sits far
    (`MAX_PAUSE_SECONDS`) from home."""
    owners = [_chunk_at(chunks, (w.start + w.end) / 2) for w in words]
    home = max(set(owners), key=lambda c: (owners.count(c), -c))
    inside = [i for i, owner in enumerate(owners) if owner == home]
    for run in (range(0, inside[0]), range(inside[-1] + 1, len(words))):
        if not run or len(run) > EDGE_WORDS or len(run) >= len(inside):
            continue
        there = chunks[owners[run[0]]]
        gap = max(chunks[home].start - there.end, there.start - chunks[home].end)
        astray = all(_crosses_seam(chunks[owners[i]], words[i].start, words[i].end)
                     or _in_padding(chunks[owners[i]], words[i].start, words[i].end)
                     for i in run)
        if astray or gap > MAX_PAUSE_SECONDS:
            for i in run:
                owners[i] = home
    return owners


def to_file_times(segment: Segment, chunks: Sequence[SpeechChunk]) -> Segment:
    """A line decoded from the joined speech audio, timed in the original file."""
    if not chunks:
        return segment
    if not segment.words:
        home = chunks[_chunk_at(chunks, (segment.start + segment.end) / 2)]
        return replace(segment, start=_place(home, segment.start), end=_place(home, segment.end))
    owners = _chunks_of_words(segment.words, chunks)
    moved = [_chunk_at(chunks, (w.start + w.end) / 2) != owner
             for w, owner in zip(segment.words, owners, strict=True)]
    words = [replace(w, start=_place(chunks[o], w.start), end=_place(chunks[o], w.end))
             for w, o in zip(segment.words, owners, strict=True)]
    lengths = [w.end - w.start for w in segment.words]
    # A moved word's own timing belongs to the other chunk: it goes right before (or after)
    # the rest of its line, lasting as long as a short word (its decoded length was stretched).
    kept = [i for i, was_moved in enumerate(moved) if not was_moved]
    for i in range(kept[0] - 1, -1, -1):  # the leading run, backwards from the line
        chunk, end = chunks[owners[i]], words[i + 1].start
        start = max(chunk.start, end - _moved_length(lengths[i]))
        words[i] = replace(words[i], start=start, end=max(end, start + MIN_WORD_SECONDS))
    for i in range(kept[-1] + 1, len(words)):  # the trailing run, onwards
        chunk, start = chunks[owners[i]], words[i - 1].end
        end = min(chunk.end, start + _moved_length(lengths[i]))
        words[i] = replace(words[i], start=min(start, end - MIN_WORD_SECONDS), end=end)
    return replace(segment, start=min(w.start for w in words), end=max(w.end for w in words),
                   words=tuple(words))


def _moved_length(length: float) -> float:
    return max(MIN_WORD_SECONDS, min(length, MOVED_WORD_SECONDS))


def _chunk_of_time(chunks: Sequence[SpeechChunk], moment: float) -> SpeechChunk | None:
    best = None
    for chunk in chunks:
        if chunk.start <= moment <= chunk.end:
            return chunk
        if best is None or min(abs(chunk.start - moment), abs(chunk.end - moment)) < min(
                abs(best.start - moment), abs(best.end - moment)):
            best = chunk
    return best


def _even_words(words: Sequence[Word], start: float, end: float) -> tuple[Word, ...]:
    """Spread squeezed words over the line, each in proportion to its letters."""
    weights = [max(1, len(w.text)) for w in words]
    total, at, spread = sum(weights), start, []
    for word, weight in zip(words, weights, strict=True):
        length = (end - start) * weight / total
        spread.append(replace(word, start=at, end=at + length))
        at += length
    return tuple(spread)


def _widened(words: Sequence[Word], line_end: float, min_word: float) -> tuple[Word, ...]:
    """Words of a line long enough for them, each grown towards the next word's start."""
    grown = []
    for i, word in enumerate(words):
        limit = words[i + 1].start if i + 1 < len(words) else line_end
        end = max(word.end, min(word.start + min_word, max(limit, word.end)))
        grown.append(replace(word, end=end) if end != word.end else word)
    return tuple(grown)


def plausible(segments: Sequence[Segment], chunks: Sequence[SpeechChunk],
              min_word: float = MIN_WORD_SECONDS) -> list[Segment]:
    """Lines (of one speaker, in file times, in order) with a plausible duration: at least
    `min_word` per word, grown inside the line's chunk without overlapping its neighbours."""
    ordered = sorted(segments, key=lambda s: (s.start, s.end))
    fixed: list[Segment] = []
    for index, segment in enumerate(ordered):
        count = max(1, len(segment.words) or len(words_of(segment.text)))
        needed = count * min_word
        if segment.end - segment.start >= needed or not chunks:
            fixed.append(replace(segment, words=_widened(segment.words, segment.end, min_word)))
            continue
        chunk = _chunk_of_time(chunks, (segment.start + segment.end) / 2)
        assert chunk is not None
        floor = max(chunk.start, fixed[-1].end if fixed else 0.0)
        ceiling = chunk.end
        if index + 1 < len(ordered):
            ceiling = min(ceiling, max(segment.end, ordered[index + 1].start))
        start = max(floor, min(segment.start, chunk.end))
        end = min(ceiling, max(segment.end, start + needed))
        start = max(floor, min(start, end - needed))
        words = _even_words(segment.words, start, end) if segment.words else ()
        fixed.append(replace(segment, start=start, end=max(end, start), words=words))
    return fixed


def outside_speech(segment: Segment, chunks: Sequence[SpeechChunk]) -> bool:
    """The line lies wholly in padding, where VAD heard no speech (e.g. a polite formula
    Whisper adds after the last sentence)."""
    return bool(chunks) and not any(segment.start < c.core_end and segment.end > c.core_start
                                    for c in chunks)


__all__ = ["MIN_WORD_SECONDS", "SpeechChunk", "outside_speech", "pad_regions", "plausible",
           "to_file_times"]
