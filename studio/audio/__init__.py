"""Decoding, analysis (tempo, beats, bars, 35-d features, mel), feature cache and playback transport."""

from studio.audio.analysis import analyze, analyze_samples, warm_up
from studio.audio.decoding import decode, validate_song
from studio.audio.song import SongAnalysis
from studio.audio.transport import Transport

__all__ = ["SongAnalysis", "Transport", "analyze", "analyze_samples", "decode", "validate_song", "warm_up"]
