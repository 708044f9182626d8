"""Data files of the statutory rules: time limits and forms keyed by effective date
(time_limits.toml) and the yearly official day-off notices (calendar_overrides.toml).
A ministry's legal unit corrects an [M]/[L] number here, not in code (docs/law.md preamble)."""
