"""One recording's transcription result as plain JSON and back, so that a job can store each
recording's result as soon as it is done and a retried job only transcribes the rest. Word
timings are left out: the lines carry everything a transcript is made of."""

from __future__ import annotations

from typing import Any

from .values import Doubt, Dropped, LanguageGuess, Segment, TrackResult


def track_to_json(result: TrackResult) -> dict[str, Any]:
    detected = result.detected
    return {
        "language": result.language,
        "expected_language": result.expected_language,
        "duration": result.duration,
        "speech": [list(region) for region in result.speech],
        "damaged": [list(span) for span in result.damaged],
        "detected": None if detected is None else {
            "language": detected.language, "probability": detected.probability,
            "expected_probability": detected.expected_probability},
        "segments": [{
            "start": s.start, "end": s.end, "text": s.text, "confidence": s.confidence,
            "no_speech_prob": s.no_speech_prob, "avg_logprob": s.avg_logprob,
            "compression_ratio": s.compression_ratio, "doubts": [str(d) for d in s.doubts],
            "repeats": s.repeats} for s in result.segments],
        "dropped": [{"start": d.start, "end": d.end, "text": d.text, "reason": d.reason}
                    for d in result.dropped],
    }


def track_from_json(data: dict[str, Any]) -> TrackResult:
    detected = data.get("detected")
    return TrackResult(
        segments=tuple(Segment(
            float(s["start"]), float(s["end"]), str(s["text"]), float(s["confidence"]),
            no_speech_prob=float(s["no_speech_prob"]), avg_logprob=float(s["avg_logprob"]),
            compression_ratio=float(s["compression_ratio"]),
            doubts=tuple(Doubt(d) for d in s["doubts"]), repeats=int(s["repeats"]))
            for s in data["segments"]),
        language=data["language"],
        expected_language=data["expected_language"],
        dropped=tuple(Dropped(float(d["start"]), float(d["end"]), str(d["text"]), str(d["reason"]))
                      for d in data["dropped"]),
        detected=None if detected is None else LanguageGuess(
            str(detected["language"]), float(detected["probability"]),
            float(detected["expected_probability"])),
        speech=tuple((float(a), float(b)) for a, b in data["speech"]),
        duration=float(data["duration"]),
        # Results stored before damaged spans were found have none on record.
        damaged=tuple((float(a), float(b)) for a, b in data.get("damaged", ())),
    )


__all__ = ["track_from_json", "track_to_json"]
