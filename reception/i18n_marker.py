"""`N_` marks a message for translation without translating it (Babel extracts it; the web
layer translates it for the reader's language)."""


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    return message
