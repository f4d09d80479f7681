"""``choreo-studio corpus``: write the procedural music-dance corpus, preview a genre, or check a corpus.

    corpus --out DIR --minutes N --seed S [--duets] [--workers W]   write the FineDance-layout corpus
    corpus --preview OUT.png --genre G [--seed S]                    a contact sheet of one genre
    corpus --demo OUT.wav [--seed S]                                 the 60-s demo song (resources/demo)
    corpus --report DIR                                              its quality figures (acceptance)
    corpus --out DIR --recordings MANIFEST [--root /] [--excerpt-seconds 60] [--excerpts 2]
                                                                     real recordings + composed dances
"""

from __future__ import annotations

import argparse
import sys
import time


def add_arguments(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", metavar="DIR", help="write a corpus into DIR (FineDance layout)")
    mode.add_argument("--preview", metavar="OUT.png", help="render a contact sheet of --genre")
    mode.add_argument("--demo", metavar="OUT.wav", help="write the demo song")
    mode.add_argument("--report", metavar="DIR", help="measure a corpus: skating, floor, BAS, hands, genre classifier")
    parser.add_argument("--minutes", type=float, default=60.0, help="minutes of music and dance (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="same seed, same bytes (default 0; demo: 2024)")
    parser.add_argument("--duets", action="store_true", help="also write partner/NNN.npy, a second dancer")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--recordings", metavar="MANIFEST",
                        help="with --out: real recordings of this manifest (resources/recordings/*.json) with "
                             "dances composed on their beats, instead of synthesised songs")  # fmt: skip
    parser.add_argument("--root", default="/", help="where the manifest's files are (default /: installed packages)")
    parser.add_argument("--excerpt-seconds", type=float, default=60.0, help="length of a recording's excerpts")
    parser.add_argument("--excerpts", type=int, default=2, help="excerpts per recording at most (default 2)")
    parser.add_argument("--genre", help="genre of the contact sheet (one of the 16 FineDance genres)")


def run(args: argparse.Namespace) -> int:
    from studio.core.errors import InputError

    if args.preview:
        if not args.genre:
            raise InputError("--genre", expected="a genre for the contact sheet", found="none")
        from studio.data.procedural.genres import genre
        from studio.data.procedural.preview import contact_sheet

        try:
            name = genre(args.genre).name
        except KeyError as error:
            raise InputError("--genre", expected="one of the 16 FineDance genres", found=repr(args.genre)) from error
        moves = contact_sheet(name, args.preview, seed=args.seed or 0)
        print(f"{args.preview}: {name}, moves {', '.join(dict.fromkeys(m.rstrip('~') for m in moves))}")
        return 0
    if args.demo:
        from studio.data.procedural.demo import write_demo

        seconds = write_demo(args.demo) if args.seed is None else write_demo(args.demo, seed=args.seed)
        print(f"{args.demo}: {seconds:.1f} s demo song")
        return 0
    if args.report:
        for line in report_lines(quality_report(args.report)):
            print(line)
        return 0
    if args.recordings:
        return _write_recordings(args)
    if not args.minutes > 0:
        raise InputError("--minutes", expected="a positive number of minutes", found=str(args.minutes))
    from studio.data.procedural.writer import write_corpus

    started = time.perf_counter()

    def progress(done: int, total: int, item: dict) -> None:
        elapsed = time.perf_counter() - started
        print(f"[{done:>4}/{total}] {item['id']} {item['genre']:<12} {item['seconds']:5.1f} s  {item['bpm']:5.1f} BPM  "
              f"{item['split']:<5}  {elapsed:6.1f} s elapsed", file=sys.stderr, flush=True)  # fmt: skip

    meta = write_corpus(args.out, args.minutes, seed=args.seed or 0, duets=args.duets, workers=args.workers,
                        progress=progress)  # fmt: skip
    print(f"{args.out}: {meta['songs']} songs, {meta['seconds'] / 60:.1f} minutes, in {meta['elapsed']:.1f} s")
    return 0


def _write_recordings(args: argparse.Namespace) -> int:
    from studio.core.errors import InputError
    from studio.data.recordings import write_recordings_corpus

    if not 8.0 <= args.excerpt_seconds <= 90.0 or args.excerpts < 1:
        raise InputError("--excerpt-seconds/--excerpts", expected="8-90 s and at least 1 excerpt",
                         found=f"{args.excerpt_seconds} s, {args.excerpts}")  # fmt: skip
    started = time.perf_counter()

    def progress(done: int, total: int, items: list[dict]) -> None:
        elapsed = time.perf_counter() - started
        for item in items:
            what = item.get("skipped") or f"{item['id']} {item['genre']:<12} {item['seconds']:5.1f} s  " \
                                          f"{item['bpm']:5.1f} BPM  {item['split']}"
            print(f"[{done:>4}/{total}] {item['source']} {item['title']}: {what}  {elapsed:6.1f} s elapsed",
                  file=sys.stderr, flush=True)  # fmt: skip

    meta = write_recordings_corpus(args.recordings, args.out, root=args.root, seed=args.seed or 0,
                                   seconds=args.excerpt_seconds, most=args.excerpts, workers=args.workers,
                                   progress=progress, duets=args.duets)  # fmt: skip
    print(f"{args.out}: {meta['songs']} excerpts of {meta['recordings']} recordings, {meta['seconds'] / 60:.1f} "
          f"minutes ({len(meta['skipped'])} skipped), in {meta['elapsed']:.1f} s")  # fmt: skip
    return 0


def quality_report(root: str) -> dict:
    """The acceptance figures of a FineDance-layout corpus (procedural or not), measured with studio.metrics."""
    import numpy as np

    from studio.data.finedance_folder import FineDanceFolder
    from studio.data.procedural.clearance import clearance
    from studio.data.procedural.legs import default_leg_model, sole_heights
    from studio.metrics.beats import bas, music_beats_from_features, music_beats_from_times
    from studio.metrics.duet import interpenetration
    from studio.metrics.feet import foot_skating

    folder = FineDanceFolder(root)
    model = default_leg_model()
    rows, clips = [], []
    for song in folder.ids():
        motion = folder.load_motion(song)
        positions = motion.positions(model.skeleton)
        label = folder.load_label(song)
        features = folder.load_features(song)
        soles = sole_heights(model, motion).min(axis=1)
        angles = np.degrees(np.linalg.norm(motion.axis_angle()[:, 22:], axis=-1))  # (T, 30) finger joints
        row = {
            "id": song,
            "genre": label.genre,
            "skating": foot_skating(positions).ratio,
            "lowest_sole_cm": float(soles.min() * 100),
            "frames_below_1cm": int((soles < -0.01).sum()),
            "bas_music_npy": bas(positions, music_beats_from_features(features)),
            "bas_true_beats": (
                bas(positions, music_beats_from_times(label.raw["beats"])) if "beats" in label.raw else None
            ),
            "finger_std_deg": float(angles.std(axis=0).mean()),
            "finger_change_share": _hand_changes(angles, label.raw.get("beats")),
            "self_clearance_cm": float(clearance(positions).min() * 100),
        }
        if folder.has_partners and folder.partner_path(song).is_file():
            partner = folder.load_partner(song).positions(model.skeleton)
            row["duet_overlap"] = interpenetration(positions, partner)
            row["duet_closest_m"] = float(np.linalg.norm(positions[::5, :, None] - partner[::5, None], axis=-1).min())
        rows.append(row)
        clips += [(song, label.genre, f) for f in _clip_features(positions)]
    split = folder.split()
    return {"songs": rows, "classifier": _classify(clips, split)}


def _hand_changes(angles, beats) -> float:
    """Share of 8-count windows in which some finger joint moves 20 degrees or more (a new hand shape)."""
    import numpy as np

    if not beats or len(beats) < 9:
        return float("nan")
    frames = np.rint(np.asarray(beats) * 30).astype(int)
    windows = [(frames[i], frames[i + 8]) for i in range(0, len(frames) - 8, 8)]
    changed = [np.ptp(angles[a:b], axis=0).max() >= 20.0 for a, b in windows if b > a]
    return float(np.mean(changed)) if changed else float("nan")


def _clip_features(positions):
    """Kinetic + geometric features of 4-s clips (hop 2 s), root-relative so travel does not count."""
    import numpy as np

    from studio.metrics.geometric import geometric_features
    from studio.metrics.kinetic import kinetic_features

    out = []
    for start in range(0, len(positions) - 120 + 1, 60):
        clip = positions[start : start + 120]
        local = clip - clip[:, :1] * np.array([1.0, 0.0, 1.0])
        height = clip[:, :, 1].mean(axis=0)
        out.append(np.concatenate([np.log1p(kinetic_features(local)), geometric_features(clip), height,
                                   local.std(axis=0).reshape(-1)]))  # fmt: skip
    return out


def _classify(clips, split) -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    train = [(g, f) for s, g, f in clips if s in split["train"]]
    test = [(s, g, f) for s, g, f in clips if s in split["test"]]
    if not train or not test:
        return {"clips_train": len(train), "clips_test": len(test), "accuracy": None}
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000, C=0.5))
    model.fit(np.stack([f for _, f in train]), [g for g, _ in train])
    predicted = model.predict(np.stack([f for _, _, f in test]))
    truth = np.array([g for _, g, _ in test])
    return {"clips_train": len(train), "clips_test": len(test), "accuracy": float(np.mean(predicted == truth)),
            "genres_in_test": len(set(truth))}  # fmt: skip


def report_lines(report: dict) -> list[str]:
    import numpy as np

    rows = report["songs"]

    def stat(key: str, fn=np.mean) -> float:
        values = [r[key] for r in rows if r.get(key) is not None and not np.isnan(r[key])]
        return float(fn(values)) if values else float("nan")

    lines = [
        f"songs: {len(rows)}",
        f"foot skating (LODGE ratio): mean {100 * stat('skating'):.2f} %, "
        f"worst song {100 * stat('skating', np.max):.2f} %",
        f"floor: lowest sole {stat('lowest_sole_cm', np.min):.2f} cm; frames with a foot > 1 cm under the floor: "
        f"{int(sum(r['frames_below_1cm'] for r in rows))}",
        f"BAS vs music_npy beats: mean {stat('bas_music_npy'):.3f} (min song {stat('bas_music_npy', np.min):.3f}); "
        f"vs the true beats: mean {stat('bas_true_beats'):.3f}",
        f"finger joint angle std: mean {stat('finger_std_deg'):.1f} deg, "
        f"smallest song {stat('finger_std_deg', np.min):.1f} deg",
        f"8-count windows with a new hand shape: {100 * stat('finger_change_share'):.1f} % "
        f"(worst song {100 * stat('finger_change_share', np.min):.1f} %)",
        f"self clearance (hands/elbows vs body capsules): worst {stat('self_clearance_cm', np.min):.1f} cm",
    ]
    if any("duet_overlap" in r for r in rows):
        lines.append(f"duets: interpenetrating frames {100 * stat('duet_overlap'):.2f} %, closest joints "
                     f"{stat('duet_closest_m', np.min):.2f} m")  # fmt: skip
    c = report["classifier"]
    if c.get("accuracy") is not None:
        lines.append(f"genre classifier (logistic regression, kinetic + geometric, 4-s clips): "
                     f"{100 * c['accuracy']:.1f} % on {c['clips_test']} test clips of {c['genres_in_test']} genres "
                     f"(trained on {c['clips_train']})")  # fmt: skip
    else:
        lines.append("genre classifier: no test (or no train) songs in split.json")
    return lines
