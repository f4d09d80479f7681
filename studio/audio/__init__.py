"""Decoding, analysis (tempo, beats, bars, 35-d features, mel), feature cache and playback transport."""
