"""A recording file hashed as it is written: every chunk the muxer flushes is chained to the one
before it and recorded in a sidecar (`<file>.chain`) at once, so a file is verifiable from its
first byte, not only once it is closed (docs/media.md pitfall 12, docs/evidence.md).

`open_output(path)` is the one factory: a writable binary file object that PyAV muxes into
(`av.open(open_output(path), "w", format="webm")`); it knows nothing of codecs or recorders.
`check(path)` / `verify(path)` re-read the file and its chain and name every failure by chunk
and byte offset.

The chain. Link 0 is SHA-256 of the format tag; link i = SHA-256(link i-1 ‖ record header ‖
the record's bytes). Records, one line each in the sidecar:

- `a SEQ OFFSET LENGTH LINK`: bytes appended at the end of the file (the muxer's flushes);
- `p SEQ OFFSET LENGTH LINK ORIGINAL`: bytes written over earlier bytes (the WebM muxer seeks
  back once, when closing, to fill in the duration and the index of the header); the bytes it
  replaced are kept (base64), so the appended stream can still be checked chunk by chunk;
- `t SEQ OFFSET LENGTH LINK`: bytes found after the last record when a crashed file was sealed
  for repair (written before the crash, chained after it: marked as such);
- `c SEQ SIZE LINK`: the file was closed at SIZE bytes; nothing may follow.

A file is written before its record, so a crash leaves at most one unrecorded chunk, which
sealing (`seal`) chains as `t`. The sidecar is a convenience copy: the hearing service keeps
the same text in the database, and verification against that copy ignores a rewritten sidecar.

The package: `records` (format, links, the sidecar), `writing` (open_output, seal) and
`checking` (check, verify)."""

from reception.adapters.media.recording.chain.checking import (
    MAX_REPORTED,
    ChainCheck,
    ChainFailure,
    check,
    verify,
)
from reception.adapters.media.recording.chain.records import (
    FORMAT,
    GENESIS,
    SUFFIX,
    Record,
    detach,
    head_of,
    read_chain,
    rename,
    sidecar_of,
)
from reception.adapters.media.recording.chain.writing import ChainedOutput, open_output, seal

__all__ = ["FORMAT", "GENESIS", "MAX_REPORTED", "SUFFIX", "ChainCheck", "ChainFailure",
           "ChainedOutput", "Record", "check", "detach", "head_of", "open_output", "read_chain", "rename",
           "seal", "sidecar_of", "verify"]
