"""The non-learned baseline: ``python -m studio.data.procedural SONG -o OUT.npy [--genre G] [--seed S]``.

Analyses the song (tempo, beats, downbeats with ``studio.audio``), places the genre's moves on its
counts and writes the dance as a FineDance (T, 315) motion file, T = the song's 30-fps frames.
Without ``--genre`` the genre whose tempo range is nearest the song's tempo is taken.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.data.procedural", description=__doc__.split("\n")[0])
    parser.add_argument("song", help="an audio file (wav, flac, ogg, mp3)")
    parser.add_argument("-o", "--out", required=True, help="the (T, 315) .npy motion file to write")
    parser.add_argument("--genre", help="one of the 16 FineDance genres (default: chosen by tempo)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from studio.audio.analysis import analyze
    from studio.core import finedance
    from studio.core.errors import StudioError
    from studio.data.procedural.choreographer import choreograph
    from studio.data.procedural.genres import genre, genre_for_tempo

    try:
        analysis = analyze(args.song)
        name = genre(args.genre).name if args.genre else genre_for_tempo(analysis.tempo)
        motion = choreograph(analysis, name, args.seed)
        finedance.save(motion, args.out)
    except KeyError as error:
        print(f"python -m studio.data.procedural: {error.args[0]}", file=sys.stderr)
        return 2
    except StudioError as error:
        print(f"python -m studio.data.procedural: {error}", file=sys.stderr)
        return 2
    print(f"{args.out}: {motion.num_frames} frames ({motion.duration:.1f} s) of {name} at {analysis.tempo:.1f} BPM")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
