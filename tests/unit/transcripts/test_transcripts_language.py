"""Which language a recording is transcribed in (thresholds measured in docs/transcription.md)."""

from transcripts import LanguageChoice, LanguageGuess
from transcripts.language import choose_language

CHOICE = LanguageChoice()


def test_a_confidently_other_language_is_transcribed_in_that_language() -> None:
    english = LanguageGuess("en", 0.61, 0.001)  # the weakest English measured: far from the mic
    assert choose_language("vi", english, CHOICE) == ("en", False)


def test_the_agency_language_stays_when_it_is_heard() -> None:
    assert choose_language("vi", LanguageGuess("vi", 0.86, 0.86), CHOICE) == ("vi", False)


def test_an_unclear_language_keeps_the_agency_language_and_marks_the_track() -> None:
    assert choose_language("vi", LanguageGuess("km", 0.45, 0.2), CHOICE) == ("vi", True)
    assert choose_language("vi", LanguageGuess("en", 0.55, 0.3), CHOICE) == ("vi", True)
    assert choose_language("vi", LanguageGuess("zh", 0.40, 0.35), CHOICE) == ("vi", True)


def test_without_an_agency_language_the_identified_one_is_used() -> None:
    assert choose_language(None, LanguageGuess("en", 0.3, 1.0), CHOICE) == ("en", False)
