"""Foot metrics: LODGE's foot-skating ratio and EDGE's physical foot contact score (PFC), for Y-up motion.

Foot skating, source LODGE ``metric/foot_skating.py`` (``calc_foot_skating_ratio``):

- the motion is put on the ground from its first frame: the toe joints' (10, 11) heights, their mean if
  they differ by less than 2 cm, else the lower one, become y = 0;
- a side is in contact on frames where its ankle is at most 8 cm and its toe joint at most 5 cm high;
- velocity v[t] = p[t+1] - p[t] (metres per frame; v = 0 on the last frame); a contact frame slides when,
  for the ankle or the toe joint of that side, |mean(v_x, v_z)| > 0.01 (LODGE averages the two horizontal
  components rather than taking their norm; kept);
- ratio per side = sliding frames / contact frames; the score is the mean of left and right.

PFC, source EDGE ``eval/eval_pfc.py`` (``calc_physical_score``), up axis changed from Z to Y:

- root acceleration a_t from second differences of the pelvis (dt = 1/fps), its up component clamped to
  >= 0, |a_t| scaled by its maximum over the dance;
- foot speed = horizontal displacement per frame of ankles and toe joints (frames 1 .. T-2), the min of
  each side's two joints;
- PFC = mean_t(min_left_t * min_right_t * a_t) x 10^4 (EDGE multiplies the mean over dances by 10^4;
  scaling each dance gives the same mean).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.metrics.joints import check_positions

LEFT_ANKLE, RIGHT_ANKLE, LEFT_TOE, RIGHT_TOE = 7, 8, 10, 11
GROUND_TOLERANCE = 0.02  # m, LODGE: toes this close are both on the ground
ANKLE_CONTACT_HEIGHT = 0.08  # m
TOE_CONTACT_HEIGHT = 0.05  # m
SLIDE_SPEED = 0.01  # m per frame
PFC_SCALE = 10_000.0
UP = 1

__all__ = ["FootSkating", "foot_skating", "pfc"]


@dataclass(frozen=True)
class FootSkating:
    left: float
    right: float
    left_contact_frames: int
    right_contact_frames: int

    @property
    def ratio(self) -> float:
        """LODGE's reported number: mean of the left and right ratios."""
        return 0.5 * (self.left + self.right)


def foot_skating(positions: np.ndarray) -> FootSkating:
    """LODGE foot-skating ratio of one (T, >=12, 3) motion, metres, Y up, 30 fps.

    A side with no contact frame has ratio 0 (the published code divides by zero).
    """
    p = check_positions(positions, "motion for foot skating", min_frames=1)
    left_toe, right_toe = p[0, LEFT_TOE, UP], p[0, RIGHT_TOE, UP]
    ground = (left_toe + right_toe) / 2 if abs(left_toe - right_toe) < GROUND_TOLERANCE else min(left_toe, right_toe)
    height = p[:, :, UP] - ground
    velocity = np.zeros_like(p)
    velocity[:-1] = p[1:] - p[:-1]
    sliding_joint = np.abs(velocity[:, :, [0, 2]].mean(axis=-1)) > SLIDE_SPEED  # (T, J)

    def side(ankle: int, toe: int) -> tuple[float, int]:
        contact = (height[:, ankle] <= ANKLE_CONTACT_HEIGHT) & (height[:, toe] <= TOE_CONTACT_HEIGHT)
        slides = contact & (sliding_joint[:, ankle] | sliding_joint[:, toe])
        count = int(contact.sum())
        return (float(slides.sum()) / count if count else 0.0), count

    left, left_count = side(LEFT_ANKLE, LEFT_TOE)
    right, right_count = side(RIGHT_ANKLE, RIGHT_TOE)
    return FootSkating(left, right, left_count, right_count)


def pfc(positions: np.ndarray, fps: float = 30.0) -> float:
    """EDGE's physical foot contact score of one (T >= 3, >=12, 3) motion (x 10^4; lower is better).

    A motion whose pelvis never accelerates upward or sideways scores 0 (the published code divides by 0).
    """
    p = check_positions(positions, "motion for PFC", min_frames=3)
    dt = 1.0 / float(fps)
    root_v = (p[1:, 0] - p[:-1, 0]) / dt
    root_a = (root_v[1:] - root_v[:-1]) / dt
    root_a[:, UP] = np.maximum(root_a[:, UP], 0.0)
    root_a = np.linalg.norm(root_a, axis=-1)
    scale = root_a.max()
    if not scale > 0:
        return 0.0
    root_a = root_a / scale
    feet = p[:, [LEFT_ANKLE, LEFT_TOE, RIGHT_ANKLE, RIGHT_TOE]][:, :, [0, 2]]
    foot_v = np.linalg.norm(feet[2:] - feet[1:-1], axis=-1)  # (T-2, 4)
    left = np.minimum(foot_v[:, 0], foot_v[:, 1])
    right = np.minimum(foot_v[:, 2], foot_v[:, 3])
    return float(np.mean(left * right * root_a) * PFC_SCALE)
