"""History import: a store moving from its old program brings its past."""
