"""Impact analysis: what bad artifacts affect."""
