"""Relations between documents: the corpus catalog, citation resolution, status, the check.

catalog (what the corpus holds) → resolve (which document each citation means) →
status (in force, amended, repealed — as of a day) → check (the editors' findings).
"""
