"""``studio eval`` on tiny FineDance-layout folders written in a temporary directory."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from studio.cli import eval as eval_command
from studio.core import finedance
from studio.core.errors import InputError
from studio.metrics.bench import synthetic_dances

FRAMES = 45


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    eval_command.add_arguments(parser)
    return eval_command.run(parser.parse_args(list(argv)))


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval")
    data, generated = root / "data", root / "generated"
    for sub in ("motion", "music_npy", "partner"):
        (data / sub).mkdir(parents=True)
    (generated / "partner").mkdir(parents=True)
    dances = synthetic_dances(9, FRAMES, seed=11)
    for i, name in enumerate(("001", "002", "003")):
        np.save(data / "motion" / f"{name}.npy", finedance.to_array(dances[i]))
        music = np.zeros((FRAMES, 35), dtype=np.float32)
        music[3::15, 34] = 1.0
        np.save(data / "music_npy" / f"{name}.npy", music)
    for name, index in (("001", 3), ("002", 4)):
        np.save(data / "partner" / f"{name}.npy", finedance.to_array(dances[index]))
    for name, index in (("001", 5), ("001_1", 6), ("002", 7), ("zzz", 8)):
        np.save(generated / f"{name}.npy", finedance.to_array(dances[index]))
    for name in ("001", "001_1"):
        np.save(generated / "partner" / f"{name}.npy", finedance.to_array(dances[2]))
    (data / "split.json").write_text(json.dumps({"train": ["002"], "test": ["001", "003"]}))
    return data, generated


def test_eval_writes_every_metric_the_inputs_allow(folders, tmp_path, capsys):
    data, generated = folders
    out = tmp_path / "report.json"
    assert _run("--data", str(data), "--generated", str(generated), "--json", str(out), "--seam-every", "15") == 0
    report = json.loads(out.read_text())
    assert report["kinetic_formula"] == "correct"
    assert report["music_beats"] == "features"
    assert report["counts"]["ground_truth"] == 3 and report["counts"]["generated"] == 4
    metrics = report["metrics"]
    expected = "fid_k fid_g div_k div_g fid_h div_h bas bas_gt mm_k mm_g foot_skating pfc mms interpenetration"
    for key in (*expected.split(), "fid_duet", "div_duet", "seam_velocity_ratio"):
        assert key in metrics, key
    assert report["unmatched_generated"] == ["zzz"]
    assert report["per_dance"]["001_1"]["music"] == "001"
    table = capsys.readouterr().out
    assert "FID_k" in table and "kinetic formula: correct" in table


def test_eval_compat_and_split(folders, tmp_path):
    data, generated = folders
    out = tmp_path / "compat.json"
    assert _run("--data", str(data), "--generated", str(generated), "--compat", "--split", "test",
                "--json", str(out), "--max-frames", "30") == 0  # fmt: skip
    report = json.loads(out.read_text())
    assert report["kinetic_formula"] == "compat" and report["split"] == "test"
    assert report["counts"]["ground_truth"] == 2
    assert report["kinetic_frame_time"] == pytest.approx(1 / 60)
    assert "fid_duet" in report["skipped"]  # one ground-truth duet in the test split


def test_eval_errors_name_the_problem(folders, tmp_path):
    data, generated = folders
    with pytest.raises(InputError, match="no such folder"):
        _run("--data", str(tmp_path / "missing"), "--generated", str(generated))
    with pytest.raises(InputError, match="'val' list"):
        _run("--data", str(data), "--generated", str(generated), "--split", "val")
    bad = tmp_path / "bad"
    bad.mkdir()
    array = np.zeros((FRAMES, 315), dtype=np.float32)
    array[7, 10] = np.nan
    np.save(bad / "001.npy", array)
    with pytest.raises(InputError, match=r"001\.npy.*frame 7"):
        _run("--data", str(data), "--generated", str(bad))


def test_eval_is_registered():
    from studio.cli.main import COMMANDS

    assert COMMANDS["eval"][0] == "studio.cli.eval"


def test_eval_takes_music_beats_from_the_audio_analysis(folders, tmp_path, monkeypatch):
    import types

    import studio.audio.analysis

    data, generated = folders
    audio_only = tmp_path / "audio_only"
    (audio_only / "music_wav").mkdir(parents=True)
    (audio_only / "motion").mkdir()
    for name in ("001", "002"):
        (audio_only / "motion" / f"{name}.npy").write_bytes((data / "motion" / f"{name}.npy").read_bytes())
        (audio_only / "music_wav" / f"{name}.wav").write_bytes(b"not read: analyze is replaced")
    features = np.zeros((FRAMES, 35), dtype=np.float32)
    features[3::15, 34] = 1.0
    calls = []

    def fake_analyze(path):
        calls.append(path)
        return types.SimpleNamespace(features=features, beats=np.array([0.1, 0.6]))

    monkeypatch.setattr(studio.audio.analysis, "analyze", fake_analyze)
    out = tmp_path / "audio.json"
    assert _run("--data", str(audio_only), "--generated", str(generated), "--json", str(out), "--gs-model", "none") == 0
    report = json.loads(out.read_text())
    assert report["music_beats"] == "audio" and len(calls) == 2
    assert "bas" in report["metrics"] and "bas_gt" in report["metrics"]


def _audio_folder(data, root):
    """A copy of the ground truth with music_wav/ stand-ins (``analyze`` is replaced in the tests)."""
    (root / "music_wav").mkdir(parents=True)
    (root / "motion").mkdir()
    for name in ("001", "002", "003"):
        (root / "motion" / f"{name}.npy").write_bytes((data / "motion" / f"{name}.npy").read_bytes())
        (root / "music_wav" / f"{name}.wav").write_bytes(b"not read: analyze is replaced")
    return root


def test_eval_gs_with_a_stub_scorer(folders, tmp_path, monkeypatch):
    import types

    import studio.audio.analysis

    data, generated = folders
    audio = _audio_folder(data, tmp_path / "audio")
    level = {"001": 0.25, "002": 0.5, "003": 0.75}

    def fake_analyze(path):
        mel = np.full((300, 128), level[path.stem], dtype=np.float32)
        return types.SimpleNamespace(features=None, beats=np.array([0.1, 0.6]), mel=mel)

    seen = []

    def scorer(mel, motion):
        seen.append((mel.shape, motion.num_frames))
        return float(mel.mean())

    monkeypatch.setattr(studio.audio.analysis, "analyze", fake_analyze)
    monkeypatch.setattr(eval_command, "load_gs_scorer", lambda name: (scorer, None))
    out = tmp_path / "gs.json"
    assert _run("--data", str(audio), "--generated", str(generated), "--json", str(out)) == 0
    report = json.loads(out.read_text())
    per_dance = report["per_dance"]
    assert per_dance["001"]["gs"] == per_dance["001_1"]["gs"] == pytest.approx(0.25)
    assert per_dance["002"]["gs"] == pytest.approx(0.5) and "gs" not in per_dance["zzz"]  # no music: no GS
    assert report["metrics"]["gs"] == pytest.approx((0.25 + 0.25 + 0.5) / 3)
    assert report["metrics"]["gs_gt"] == pytest.approx(0.5)
    assert all(shape == (FRAMES, 128) and frames == FRAMES for shape, frames in seen)  # shorter than 4 s: one pair


def test_gs_is_the_mean_over_4_second_segments():
    from studio.body.provider import load_avatar
    from studio.metrics.evaluate import gs_pairs, measure_dance

    dance = synthetic_dances(1, 300, seed=3)[0]
    mel = np.arange(300, dtype=np.float32)[:, None].repeat(128, 1)
    pairs = gs_pairs(dance, mel)
    assert [len(m) for m, _ in pairs] == [120, 120] and [d.num_frames for _, d in pairs] == [120, 120]
    skeleton = load_avatar().skeleton
    measures = measure_dance("x", dance, skeleton, genre_scorer=lambda m, d: float(m[0, 0]), music_mel=mel)
    assert measures.scores["gs"] == pytest.approx(60.0)  # segments starting at frames 0 and 120
    assert gs_pairs(dance, mel[:1]) == []
    assert "gs" not in measure_dance("x", dance, skeleton).scores


def test_eval_gs_is_skipped_without_the_default_ranker(folders, tmp_path, monkeypatch):
    data, generated = folders
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path / "no_models"))
    out = tmp_path / "skip.json"
    assert _run("--data", str(data), "--generated", str(generated), "--json", str(out)) == 0
    report = json.loads(out.read_text())
    assert "gcrm-small" in report["skipped"]["gs"] and "gs" not in report["metrics"]
    assert _run("--data", str(data), "--generated", str(generated), "--json", str(out), "--gs-model", "none") == 0
    assert json.loads(out.read_text())["skipped"]["gs"] == "--gs-model none"
    with pytest.raises(InputError, match="no-such-ranker"):
        _run("--data", str(data), "--generated", str(generated), "--gs-model", "no-such-ranker")


# -- duets: a tiny corpus built with ``studio corpus --duets`` -----------------------------------------------------


@pytest.fixture(scope="module")
def duet_corpus(tmp_path_factory):
    from studio.cli.main import main

    root = tmp_path_factory.mktemp("duets") / "corpus"
    assert main(["corpus", "--out", str(root), "--minutes", "1", "--duets", "--workers", "1"]) == 0
    return root


def _leads_with(corpus, out, partner_of):
    """A generated folder: the corpus's leads, and ``partner_of(lead Motion)`` as each one's partner."""
    for sub in ("motion", "partner"):
        (out / sub).mkdir(parents=True)
    for path in sorted((corpus / "motion").glob("*.npy")):
        (out / "motion" / path.name).write_bytes(path.read_bytes())
        lead = finedance.from_array(np.load(path))
        np.save(out / "partner" / path.name, finedance.to_array(partner_of(lead)).astype(np.float32))
    return out


def test_eval_reports_the_partner_and_the_duet_on_a_duet_corpus(duet_corpus, tmp_path, capsys):
    out = tmp_path / "duets.json"
    assert _run("--data", str(duet_corpus), "--generated", str(duet_corpus), "--json", str(out),
                "--gs-model", "none") == 0  # fmt: skip
    report = json.loads(out.read_text())
    metrics = report["metrics"]
    for key in ("fid_partner_k", "fid_partner_g", "fid_duet", "mms", "bas_partner", "close_share", "closest_m",
                "pose_to_lead", "pose_to_mirror"):  # fmt: skip
        assert key in metrics, key
    assert metrics["fid_partner_k"] == pytest.approx(0.0, abs=1e-6)  # the ground truth against itself
    assert metrics["close_share"] == 0.0 and metrics["closest_m"] >= 0.2  # the corpus keeps its dancers apart
    rules = {json.loads(p.read_text())["duet"]["rule"] for p in (duet_corpus / "label_json").glob("*.json")}
    row = report["per_dance"]["001"]
    assert row["duet_rule"] in rules and "bas" in row["partner"]
    if rules - {"unison", "mirror"}:
        assert "pose_to_lead_non_copy" in metrics
    else:
        assert "pose_to_lead_non_copy" in report["skipped"]
    table = capsys.readouterr().out
    assert "Partner FID_k" in table and "Close < 0.2 m" in table and "Pose to mirror" in table


def test_eval_mirror_copies_of_the_lead_score_zero_to_the_mirror(duet_corpus, tmp_path):
    generated = _leads_with(duet_corpus, tmp_path / "mirrors", lambda lead: lead.mirrored().translated([3.0, 0, 0]))
    out = tmp_path / "mirrors.json"
    assert _run("--data", str(duet_corpus), "--generated", str(generated), "--json", str(out),
                "--gs-model", "none") == 0  # fmt: skip
    metrics = json.loads(out.read_text())["metrics"]
    assert metrics["pose_to_mirror"] == pytest.approx(0.0, abs=1e-5)  # float32 files
    assert metrics["pose_to_lead"] > 0.05 and metrics["close_share"] == 0.0
    assert metrics["pose_to_mirror_gt"] > 0.0


def test_eval_duets_table_with_the_rules_and_an_independent_baseline(duet_corpus, tmp_path, capsys):
    out, dances = tmp_path / "table.json", tmp_path / "dances"
    assert _run("--duets", "--data", str(duet_corpus), "--dance-split", "all", "--partner-source", "rules",
                "independent", "--model", "procedural", "--ranker", "fallback", "-m", "3", "--max-seconds", "8",
                "--max-songs", "2", "--json", str(out), "--dances", str(dances)) == 0  # fmt: skip
    report = json.loads(out.read_text())
    assert [row["source"] for row in report["rows"]] == ["rules", "independent"]
    for row in report["rows"]:
        assert row["segments"] == 4 and row["chosen"]["segments"] == 4  # two songs, two 4-s segments each
        for key in ("fid_duet", "mms", "bas_partner", "close_share", "closest_m", "pose_to_lead", "pose_to_mirror"):
            assert key in row["metrics"], (row["source"], key)
    rules, independent = report["rows"]
    assert set(rules["labels"]) <= {"mirror", "canon-2", "unison", "mirror-canon-4", "canon-4", "mirror-canon-2"}
    assert set(independent["labels"]) == {"independent"}
    assert "fid_partner_k" in report["ground_truth"]["metrics"]
    assert (dances / "rules" / "partner" / "001.npy").is_file()
    partner = np.load(dances / "independent" / "partner" / "001.npy")
    assert partner.shape == (240, 315)
    table = capsys.readouterr().out
    assert "FID_cd" in table and "ground truth" in table and "chosen segments within 0.2 m" in table
    # label formation: the rule partner stands about where the corpus's partner stood
    for name in ("001", "002"):
        made = np.load(dances / "rules" / "partner" / f"{name}.npy")[:, :3]
        truth = np.load(duet_corpus / "partner" / f"{name}.npy")[: len(made), :3]
        assert np.linalg.norm(made.mean(0) - truth.mean(0)) < 0.5, name
    # the editor's places instead
    assert _run("--duets", "--data", str(duet_corpus), "--dance-split", "all", "--partner-source", "rules",
                "--ranker", "fallback", "-m", "2", "--max-seconds", "4", "--formation", "editor",
                "--json", str(out)) == 0  # fmt: skip
    assert json.loads(out.read_text())["rows"][0]["placed_by"] == "editor"


def test_eval_duets_names_what_is_missing(folders, duet_corpus, tmp_path):
    data, _ = folders
    solo = tmp_path / "solo"
    (solo / "motion").mkdir(parents=True)
    (solo / "motion" / "001.npy").write_bytes((data / "motion" / "001.npy").read_bytes())
    with pytest.raises(InputError, match="corpus --out DIR --duets"):
        _run("--duets", "--data", str(solo))
    with pytest.raises(InputError, match="--data"):
        _run("--duets")
    from studio.core.errors import ModelError

    with pytest.raises(ModelError):  # a partner model that is not there
        _run("--duets", "--data", str(duet_corpus), "--dance-split", "all", "--partner-source",
             str(tmp_path / "no-model"), "--ranker", "fallback")  # fmt: skip


def test_formations_place_a_partner_and_take_it_back():
    from studio.cli.eval_duets import EditorPlacement, editor_formation, label_formation
    from studio.core.formation import Formation as CoreFormation
    from studio.core.motion import Motion

    motion = synthetic_dances(1, 20, seed=2)[0]
    facing = label_formation({"rule": "mirror", "formation": "facing", "spacing": 1.5})
    side = label_formation({"formation": "side", "spacing": 1.3})
    assert facing.offset == (0.0, 0.0, 1.5) and facing.yaw == 180.0 and side.offset == (-1.3, 0.0, 0.0)
    assert label_formation({}) is None
    assert editor_formation({"formation": "facing", "spacing": 1.5}) == CoreFormation("facing", 1.5)
    assert editor_formation({}) == CoreFormation()
    assert editor_formation({"formation": "side", "spacing": 9}).spacing == 4.0  # the editor's range
    for kind in ("side", "facing", "behind"):  # the editor's rigid placement, taken back
        editor = EditorPlacement(CoreFormation(kind, 1.5))
        assert editor.unplace(editor.place(motion)).allclose(motion)
    placed = facing.place(motion)
    np.testing.assert_allclose(placed.trans - motion.trans, np.tile([0.0, 0.0, 1.5], (20, 1)))  # moved, not turned
    from studio.metrics.vitals import pelvis_yaw

    turned = (pelvis_yaw(placed.rotations) - pelvis_yaw(motion.rotations)) % 360.0
    np.testing.assert_allclose(turned, 180.0)  # the body turned to face the lead
    assert facing.unplace(placed).allclose(motion) and side.unplace(side.place(motion)).allclose(motion)
    assert isinstance(placed, Motion) and facing.unplace(None) is None
