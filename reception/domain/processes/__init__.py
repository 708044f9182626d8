"""The statutory processes of docs/law.md §2, each a table of states and transitions."""
