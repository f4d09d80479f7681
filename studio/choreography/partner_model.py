"""The learned partner as a motion source: a partner FDGN (``studio.ml.duet``) dances with the lead.

The partner model sees the music and the lead's body joints over its whole sampling window (the segment and
the context frames around it), so the lead's chosen motion of this segment and the ends of its neighbours
make one track. A partner's first segment has no dance of its own to continue: it starts where the formation
puts it beside the lead (``studio.core.formation``); later segments continue the partner's previous one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studio.choreography.plan import segment_frames
from studio.choreography.sources import FDGNSource, GeneratorUnavailable
from studio.core.finedance import heading, to_array
from studio.core.motion import Motion, concatenate, held

SIDE_TOLERANCE = 0.1  # m off the partner's facing line before a lead counts as on its right


class PartnerModelSource(FDGNSource):
    """A partner FDGN model folder as a ``MotionSource`` for partner requests (see the module docstring)."""

    def __init__(self, folder: str | Path, device: str = "auto", *, steps: int | None = None,
                 threads: int | None = None) -> None:  # fmt: skip
        super().__init__(folder, device, steps=steps, threads=threads)
        if not self.pipeline.config.lead_dim:
            raise GeneratorUnavailable(f"{folder} is a solo dance model, not a partner model (no lead channels)")
        self.name = f"partner {self.model_id}"

    def warm(self) -> None:
        from studio.core.finedance import MUSIC_DIM

        music = np.zeros((40, MUSIC_DIM), dtype=np.float32)
        lead = (np.zeros((40, 22, 3), dtype=np.float32), 0)
        self.warm_result = self.pipeline.generate_segment(music, 0, 40, num_candidates=1, seeds=0, steps=1,
                                                          lead=lead, anchor=(0.0, 0.0, 0.0))  # fmt: skip

    def motions(self, request, song, progress, interrupt):
        if request.lead is None:
            raise GeneratorUnavailable(f"segment {request.segment + 1} has no lead dance to partner yet")
        start, end = segment_frames(request.start, request.end)
        track, first = lead_track(request.lead, getattr(request, "lead_prev", None),
                                  getattr(request, "lead_next", None))  # fmt: skip
        anchor = None if request.prev is not None else formation_anchor(request, request.lead)
        prev, nxt = request.prev, request.next
        # the corpus's side-by-side partners all stand on the lead's right, so the net knows a lead on its own
        # left: a partner with the lead on its right is made as the mirror image of that scene, then mirrored
        # back (an exact symmetry: the mirror of a dance to the same music is a dance to it)
        mirror = lead_on_the_right(track[first : first + 1], prev, anchor)
        if mirror:
            track, prev, nxt = track.mirrored(), _mirrored(prev), _mirrored(nxt)
            anchor = None if anchor is None else (-anchor[0], anchor[1], -anchor[2])
        kwargs = dict(
            num_candidates=request.num_candidates, seeds=list(request.seeds), prev=prev, next=nxt,
            callback=progress, interrupt=interrupt, steps=self.steps,
            lead=(track.positions(self.pipeline.skeleton), start - first), anchor=anchor,
        )  # fmt: skip
        result = self.pipeline.generate_segment(song.features, start, end, **kwargs)
        motions = result.motions()
        return [(motion.mirrored() if mirror else motion, request.lead_genre) for motion in motions]


def lead_track(lead: Motion, before: Motion | None, after: Motion | None) -> tuple[Motion, int]:
    """The lead's segment with up to ``LEAD_TRACK_MARGIN`` frames of its neighbours on each side (held poses
    where there is none) and how many frames come before the segment."""
    from studio.ml.duet import LEAD_TRACK_MARGIN  # torch comes with studio.ml: only once a model is loaded
    head = before[-LEAD_TRACK_MARGIN:] if before is not None else held(lead[:1], before=LEAD_TRACK_MARGIN - 1)
    tail = after[:LEAD_TRACK_MARGIN] if after is not None else held(lead[-1:], after=LEAD_TRACK_MARGIN - 1)
    return concatenate([head, lead, tail]), len(head)


def _mirrored(motion: Motion | None) -> Motion | None:
    return None if motion is None else motion.mirrored()


def lead_on_the_right(lead: Motion, prev: Motion | None, anchor: tuple[float, float, float] | None) -> bool:
    """Whether the lead (its first frame, ``lead``) stands on the partner's right: the partner where its previous
    segment ends, facing its heading there, or else at ``anchor`` (x, z, yaw). A dancer's left at yaw ``a`` is
    ``(cos a, -sin a)`` on the floor (``studio.core.formation``)."""
    if prev is not None:
        array = to_array(prev[-8:])
        x, z, yaw = float(array[-1, 0]), float(array[-1, 2]), heading(array)
    elif anchor is not None:
        x, z, yaw = anchor
    else:
        return False
    lead_xz = to_array(lead[:1])[0, [0, 2]]
    # a lead straight ahead or behind (face to face, a shadow) is on neither side: no mirror for rounding's sake
    return float((lead_xz[0] - x) * np.cos(yaw) - (lead_xz[1] - z) * np.sin(yaw)) < -SIDE_TOLERANCE


def formation_anchor(request, lead: Motion) -> tuple[float, float, float]:
    """Where the partner's first segment starts: its formation's spot and facing beside the lead's first pose."""
    from studio.core.formation import Formation

    formation = getattr(request, "formation", None) or Formation()
    array = to_array(lead[: min(8, lead.num_frames)])
    x, z, yaw = formation.place((float(array[0, 0]), float(array[0, 2])), heading(array))
    return float(x), float(z), float(yaw)
