"""Pure domain: statutory workflow, deadlines and rules. Standard library only (+ pure libraries)."""
