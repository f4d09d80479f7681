"""Training data: the procedural paired corpus and FineDance-layout readers."""
