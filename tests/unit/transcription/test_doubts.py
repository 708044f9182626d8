"""The reasons a line is doubtful are the library's, stored by value: the two lists agree."""

from reception.domain.transcripts.transcript import Doubt as StoredDoubt
from transcripts import Doubt


def test_every_doubt_of_the_library_can_be_stored_and_read_back() -> None:
    assert {d.value for d in Doubt} == {d.value for d in StoredDoubt}
