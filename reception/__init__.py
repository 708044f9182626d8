"""Tiếp dân trực tuyến: the reception server."""
