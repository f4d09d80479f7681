"""Test dances for the exporters: lively smooth motion with fingers, fast spins, a duet."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core import rotations as rot
from studio.core.motion import Motion
from studio.core.skeleton import HANDS, NUM_JOINTS


def lively_dance(frames: int = 90, seed: int = 0, fps: float = 30.0) -> Motion:
    """Random but smooth: every joint (fingers too) swings on a few sines; the body walks and turns."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None, None] / fps
    freq = rng.uniform(0.3, 2.0, size=(1, NUM_JOINTS, 3))
    phase = rng.uniform(0, 2 * np.pi, size=(1, NUM_JOINTS, 3))
    amplitude = np.full((1, NUM_JOINTS, 3), 0.5)
    amplitude[:, HANDS] = 0.6
    axis_angle = amplitude * np.sin(2 * np.pi * freq * t + phase)
    axis_angle[:, 0, 1] += 1.5 * t[:, 0, 0]  # the body turns about the vertical
    trans = np.stack([0.5 * np.sin(t[:, 0, 0]), 0.05 * np.sin(7 * t[:, 0, 0]), 0.3 * t[:, 0, 0]], axis=1)
    return Motion.from_axis_angle(trans, axis_angle, fps)


def fast_spin_dance(frames: int = 90, fps: float = 30.0) -> Motion:
    """Pirouettes and whipping limbs: rotations of 20-40 degrees per frame, through every Euler singularity."""
    motion = lively_dance(frames, seed=5, fps=fps)
    t = np.arange(frames) / fps
    rotations = motion.rotations.copy()
    spins = {0: ([0, 1, 0], 2.0), 16: ([1, 0, 0], 3.0), 17: ([0, 0, 1], 3.0), 20: ([1, 0, 0], 2.5), 4: ([0, 1, 0], 1.5)}
    for joint, (axis, turns_per_second) in spins.items():
        angle = 2 * np.pi * turns_per_second * t
        spin = rot.axis_angle_to_matrix(np.asarray(axis, float)[None] * angle[:, None])
        rotations[:, joint] = spin @ rotations[:, joint]
    return Motion(motion.trans, rotations, fps)


@pytest.fixture(scope="session")
def avatar():
    from studio.body.provider import load_avatar

    return load_avatar()


@pytest.fixture(scope="session")
def skeleton(avatar):
    return avatar.skeleton


@pytest.fixture()
def duet() -> dict[str, Motion]:
    return {"Ana": lively_dance(60, seed=1), "Ben": lively_dance(60, seed=2).translated([1.5, 0.0, 0.0])}


@pytest.fixture()
def dances():
    """The test dance makers, for tests that choose their own length or seed."""

    class Dances:
        lively = staticmethod(lively_dance)
        fast_spin = staticmethod(fast_spin_dance)

    return Dances


@pytest.fixture(scope="session")
def learned_duet() -> dict[str, Motion]:
    """A lead and the shipped learned partner's dance with it (``models/partner-small``, one 4-s segment side
    by side, through the editor's motion source): what a user's duet export holds."""
    from types import SimpleNamespace

    pytest.importorskip("torch")
    from studio.choreography.partner_model import PartnerModelSource
    from studio.choreography.requests import GenerationRequest
    from studio.core.formation import Formation
    from studio.core.resources import shipped_models_dir

    lead = lively_dance(120, seed=3)
    source = PartnerModelSource(shipped_models_dir() / "partner-small", "cpu", threads=1)
    music = np.zeros((120, 35), dtype=np.float32)
    music[::15, 34] = 1.0  # a beat every half second
    request = GenerationRequest("partner", 0, 0.0, 4.0, (0,), role="partner", lead=lead, formation=Formation(),
                                reason="partner")  # fmt: skip
    ((partner, _genre),) = source.motions(request, SimpleNamespace(features=music), lambda done, total: None, None)
    return {"Lead": lead, "Partner": partner}
