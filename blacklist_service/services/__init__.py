"""Use cases. Plain arguments in, models out; services flush but never commit (the view commits once)."""
