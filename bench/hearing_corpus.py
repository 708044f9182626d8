"""A realistic hearing made of natural Vietnamese speech, generated on the fly (deterministic).

The voices are vieneu's natural clips (Apache-2.0, installed by `make setup`) that come with
their transcript; nothing else counts for WER. Two per-speaker tracks, as the recorder writes
them (16 kHz speech -> 48 kHz mono Opus 32 kbit/s "voip", as a browser sends it, in WebM
as reception/adapters/media/recording/muxer.py keeps the received packets), on one timeline:

- a citizen who waits minutes before being admitted: faint room noise with the odd rustle,
  cough or hum a microphone picks up while nobody speaks;
- turn-taking between official and citizen, with short and long pauses;
- a dense monologue (sentences 0.2-0.3 s apart);
- a looping microphone (the same clip played again and again);
- faint background noise under everything.

`filed_case` rebuilds the situation of the report that started this: one citizen track of
about 46 s holding 8 sentences, so that Whisper decodes it in two 30 s windows.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
from av.audio.resampler import AudioResampler
from faster_whisper import decode_audio

from transcripts.guard import words_of

RATE = 16_000
SAMPLES = Path(str(importlib.resources.files("vieneu"))) / "assets" / "samples"
AUDIO_REF = Path(str(importlib.resources.files("examples"))) / "audio_ref"  # shipped by vieneu
# The only examples/audio_ref clip with a transcript (the ref_text of vieneu's examples/main.py).
NGOC_HUYEN = "Tác phẩm dự thi bảo đảm tính khoa học, tính đảng, tính chiến đấu, tính định hướng."
Audio = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Clip:
    name: str
    samples: Audio
    text: str

    @property
    def seconds(self) -> float:
        return self.samples.size / RATE


def natural_clips() -> dict[str, Clip]:
    """Every vieneu clip that has its transcript, by speaker name."""
    found = {wav.stem.split(" (")[0]: Clip(wav.stem, decode_audio(str(wav)),
                                          wav.with_suffix(".txt").read_text(encoding="utf-8").strip())
             for wav in sorted(SAMPLES.glob("*.wav"))}
    found["Ngọc Huyền"] = Clip("example_ngoc_huyen",
                               decode_audio(str(AUDIO_REF / "example_ngoc_huyen.wav")), NGOC_HUYEN)
    return found


@dataclass(frozen=True)
class Said:
    """One sentence as placed on a track: seconds from the track's start, and its text."""

    start: float
    end: float
    text: str


@dataclass
class Track:
    """One speaker's recording being composed."""

    name: str
    role: str
    audio: Audio = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    said: list[Said] = field(default_factory=list)

    def pad_to(self, seconds: float) -> None:
        missing = round(seconds * RATE) - self.audio.size
        if missing > 0:
            self.audio = np.concatenate([self.audio, np.zeros(missing, dtype=np.float32)])

    def say(self, clip: Clip, at: float) -> float:
        """Place `clip` at `at` seconds; returns where it ends."""
        self.pad_to(at + clip.seconds)
        start = round(at * RATE)
        self.audio[start:start + clip.samples.size] += clip.samples
        self.said.append(Said(at, at + clip.seconds, clip.text))
        return at + clip.seconds

    @property
    def reference(self) -> str:
        return " ".join(s.text for s in sorted(self.said, key=lambda s: s.start))


def pink_noise(n: int, rng: np.random.Generator) -> Audio:
    """Unit-RMS 1/f noise (room tone)."""
    spectrum = np.fft.rfft(rng.normal(0.0, 1.0, n))
    spectrum /= np.sqrt(np.arange(spectrum.size) + 1.0)
    noise = np.fft.irfft(spectrum, n)
    return (noise / (np.sqrt(np.mean(noise**2)) or 1.0)).astype(np.float32)


def room_sound(rng: np.random.Generator) -> Audio:
    """A short non-speech sound a microphone picks up: a rustle, a cough or a hum."""
    seconds = float(rng.uniform(0.3, 1.2))
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = np.sin(np.pi * t / seconds) ** 2
    kind = int(rng.integers(3))
    if kind == 0:  # clothes, paper
        sound = pink_noise(t.size, rng) * 0.05 * envelope
    elif kind == 1:  # a cough: a noisy burst on a low pitch
        pitch = float(rng.uniform(120, 250))
        sound = (pink_noise(t.size, rng) * 0.6 + np.sin(2 * np.pi * pitch * t)) * np.exp(-6 * t) * 0.2
    else:  # a fan or a fridge starting
        pitch = float(rng.uniform(100, 300))
        sound = np.sin(2 * np.pi * pitch * t) * (1 + 0.3 * np.sin(2 * np.pi * 5 * t)) * 0.05 * envelope
    return sound.astype(np.float32)


def melody(seconds: float, rng: np.random.Generator) -> Audio:
    """A radio or television in the room: plucked notes, two a second."""
    t = np.arange(int(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    notes = (220, 247, 262, 294, 330, 349, 392, 440)
    for k in range(int(seconds * 2)):
        pitch = notes[int(rng.integers(len(notes)))]
        start, end = int(k * 0.5 * RATE), min(t.size, int((k + 1) * 0.5 * RATE))
        local = t[start:end] - t[start]
        for harmonic, amplitude in ((1, 1.0), (2, 0.5), (3, 0.25)):
            tone = np.sin(2 * np.pi * pitch * harmonic * t[start:end])
            out[start:end] += amplitude * np.exp(-3 * local) * tone
    return (0.1 * out).astype(np.float32)


def add_room(audio: Audio, rng: np.random.Generator, level: float, sounds_from: float = 0.0,
             sounds_to: float = 0.0, sounds_per_minute: float = 0.0) -> Audio:
    """Faint room tone under everything, and the odd room sound between the given times."""
    mixed = audio + pink_noise(audio.size, rng) * level
    count = int((sounds_to - sounds_from) / 60 * sounds_per_minute)
    for _ in range(count):
        sound = room_sound(rng)
        at = round(float(rng.uniform(sounds_from, max(sounds_from, sounds_to - 1.5))) * RATE)
        mixed[at:at + sound.size] += sound[:max(0, mixed.size - at)]
    return np.clip(mixed, -1.0, 1.0).astype(np.float32)


def write_opus(samples: Audio, path: Path) -> Path:
    """16 kHz float samples -> WebM/Opus as the recorder writes it (48 kHz mono s16, 32 kbit/s,
    "voip")."""
    with av.open(str(path), mode="w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.codec_context.layout = "mono"
        stream.codec_context.format = "s16"
        stream.codec_context.bit_rate = 32_000
        stream.codec_context.options = {"application": "voip"}
        resampler = AudioResampler(format="s16", layout="mono", rate=48_000, frame_size=960)
        pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, 0, Fraction(1, RATE)
        for resampled in (*resampler.resample(frame), *resampler.resample(None)):
            container.mux(stream.encode(resampled))
        container.mux(stream.encode(None))
    return path


@dataclass(frozen=True)
class Recorded:
    """A finished track: its Opus file and what was said on it, when."""

    name: str
    role: str
    path: Path
    seconds: float
    said: tuple[Said, ...]

    @property
    def reference(self) -> str:
        return " ".join(s.text for s in self.said)


WAIT_SECONDS = 180.0  # the citizen waits three minutes before anyone speaks


def hearing(directory: Path, seed: int = 2026, wait_seconds: float = WAIT_SECONDS
            ) -> tuple[Recorded, Recorded]:
    """(official, citizen) tracks of one hearing, written as Opus/WebM into `directory`."""
    rng = np.random.default_rng(seed)
    clips = natural_clips()
    official, citizen = Track("Cán bộ Ly", "official"), Track("Công dân Bình", "citizen")

    def pause(low: float, high: float) -> float:
        return float(rng.uniform(low, high))

    at = wait_seconds
    # Turn-taking: the official opens, the citizen answers, with ordinary pauses.
    at = official.say(clips["Ly"], at) + pause(0.8, 1.5)
    at = citizen.say(clips["Bình"], at) + pause(0.8, 1.5)
    at = official.say(clips["Ngọc"], at) + pause(0.6, 1.2)
    # A dense monologue: the citizen's complaint, sentence after sentence.
    for name in ("Tuyên", "Vĩnh", "Đoan"):
        at = citizen.say(clips[name], at) + pause(0.2, 0.3)
    at += pause(8.0, 12.0)  # a long pause: the official reads the file
    at = official.say(clips["Ngọc Huyền"], at) + pause(1.0, 2.0)
    # A looping microphone: the citizen's device plays their first answer again and again.
    for _ in range(3):
        at = citizen.say(clips["Bình"], at) + pause(0.3, 0.5)
    at += pause(4.0, 6.0)
    at = official.say(clips["Đoan"], at) + pause(1.0, 2.0)
    end = at + 2.0
    tracks = []
    for track, sounds in ((official, 0.0), (citizen, 6.0)):
        track.pad_to(end)
        # Room sounds only while the citizen waits (VAD may take some of them for speech).
        audio = add_room(track.audio, rng, level=10 ** (-55 / 20), sounds_from=0.0,
                         sounds_to=wait_seconds, sounds_per_minute=sounds)
        path = write_opus(audio, directory / f"{track.role}.webm")
        tracks.append(Recorded(track.name, track.role, path, audio.size / RATE,
                               tuple(sorted(track.said, key=lambda s: s.start))))
    return tracks[0], tracks[1]


FAR_GAIN = 0.03  # speech at -30 dB: a citizen sitting well away from the phone
FAR_SNR_DB = 10.0  # over the room's noise


def filed_case(directory: Path, seed: int = 2, far: bool = True) -> Recorded:
    """One citizen track of about 46 s with 8 sentences (every clip, one twice), Whisper
    decodes it in two windows. `far`: the citizen sits away from the microphone (quiet
    speech over room noise, 10 dB below it), the condition in which Whisper rates a window
    of clearly recognised speech as probably silence; else room sounds in the pauses."""
    rng = np.random.default_rng(seed)
    clips = list(natural_clips().values())
    order = [*range(len(clips)), int(rng.integers(len(clips)))]
    track = Track("Công dân", "citizen")
    speech = sum(clips[i].seconds for i in order)
    gaps = rng.dirichlet(np.ones(len(order) + 1)) * max(0.0, 46.0 - speech)
    at = float(gaps[0])
    for index, gap in zip(order, gaps[1:], strict=True):
        at = track.say(clips[index], at) + float(gap)
    track.pad_to(at)
    audio = add_room(track.audio, rng, level=0.002, sounds_from=0.0, sounds_to=at,
                     sounds_per_minute=30.0)
    if far:
        loud = audio[np.abs(audio) > 0.01]
        level = float(np.sqrt(np.mean(loud**2))) if loud.size else 0.1
        audio = (audio * FAR_GAIN + pink_noise(audio.size, rng) * level * FAR_GAIN
                 * 10 ** (-FAR_SNR_DB / 20)).astype(np.float32)
    path = write_opus(audio, directory / f"filed-{seed}.webm")
    return Recorded(track.name, track.role, path, audio.size / RATE, tuple(track.said))


def waiting_case(directory: Path, seed: int = 0, wait_seconds: float = 60.0) -> Recorded:
    """A citizen who waited a minute in a room with a radio on (notes and rustles, some of
    which voice activity detection takes for speech), then said the 8 sentences."""
    rng = np.random.default_rng(seed)
    clips = list(natural_clips().values())
    track = Track("Công dân", "citizen")
    track.pad_to(wait_seconds)
    for _ in range(int(wait_seconds / 60 * 30)):
        seconds = float(rng.uniform(0.3, 1.2))
        envelope = np.sin(np.pi * np.arange(int(seconds * RATE)) / RATE / seconds) ** 2
        if rng.integers(2):
            sound = pink_noise(envelope.size, rng) * 0.05 * envelope
        else:
            sound = melody(seconds + 0.5, rng)[:envelope.size] * envelope * 2
        at = round(float(rng.uniform(0, wait_seconds - 1.5)) * RATE)
        track.audio[at:at + sound.size] += sound.astype(np.float32)
    at = wait_seconds
    for index in [*range(len(clips)), 0]:
        at = track.say(clips[index], at) + float(rng.uniform(1.0, 3.0))
    track.pad_to(at)
    audio = add_room(track.audio, rng, level=0.002)
    path = write_opus(audio, directory / f"waiting-{seed}.webm")
    return Recorded(track.name, track.role, path, audio.size / RATE, tuple(track.said))


def silence_and_noise(directory: Path, seconds: float = 20.0, seed: int = 7) -> list[Path]:
    """A silent track and a track of faint room noise with room sounds: no speech at all."""
    rng = np.random.default_rng(seed)
    silent = np.zeros(round(seconds * RATE), dtype=np.float32)
    noisy = add_room(silent.copy(), rng, level=10 ** (-50 / 20), sounds_from=0.0,
                     sounds_to=seconds, sounds_per_minute=12.0)
    return [write_opus(silent, directory / "silence.webm"),
            write_opus(noisy, directory / "noise.webm")]


def fuzzy_find(needle: str, haystack: str) -> int:
    """Fewest character edits turning `needle` into some part of `haystack` (Sellers)."""
    previous = [0] * (len(haystack) + 1)
    for i, char in enumerate(needle, start=1):
        current = [i]
        for j, other in enumerate(haystack, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        previous = current
    return min(previous)


def sentences_heard(said: Sequence[Said], lines: Sequence[tuple[float, float, str]],
                    share: float = 0.5, slack: float = 1.0) -> list[bool]:
    """For each sentence said, whether the lines timed over it (± `slack` s) hold it: at
    least `share` of its letters, in order (words lower-cased, punctuation dropped). A
    sentence missing from the transcript, or put at another time, counts as not heard; one
    heard with wrong tones still counts (that is what WER measures)."""
    heard = []
    for sentence in said:
        near = " ".join(text for start, end, text in lines
                        if start < sentence.end + slack and end > sentence.start - slack)
        wanted = " ".join(words_of(sentence.text))
        edits = fuzzy_find(wanted, " ".join(words_of(near)))
        heard.append(bool(wanted) and edits <= (1 - share) * len(wanted))
    return heard
