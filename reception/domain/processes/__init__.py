"""The statutory processes of STATUTES §2, each a table of states and transitions."""
