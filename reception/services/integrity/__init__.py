"""Integrity of the evidence: recordings (chained as written), documents (SHA-256) and the
audit log (HMAC chain and anchors), checked on demand, by `reception verify` and periodically."""
