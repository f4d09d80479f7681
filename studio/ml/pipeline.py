"""``Choreographer``: music features in, M candidate dances per segment out (the sampling loop lives here).

The pipeline owns what the nets and the sampler do not know: the window of a segment (the segment plus up to
``context_frames`` of each neighbour), the batching of the M candidates in one pass, the per-candidate seeds,
classifier-free guidance, the seam constraints (inpainting), normalisation, progress and cancellation.

Seams: a segment generated after its predecessor gets the predecessor's last ``context_frames`` frames as
known frames at the start of its window; regenerating a middle segment also gets the successor's first
frames at the end, so both neighbours stay untouched and both seams are continuous.

Determinism: candidate ``i`` draws all its noise from its own generator seeded with ``seeds[i]``, on the CPU,
so a seed gives the same dance whatever else is in the batch (up to floating-point batching effects) and on
any device (up to the device's arithmetic).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from os import PathLike

import numpy as np
import torch

from studio.audio.features import condition_features
from studio.core import rotations as rot
from studio.core.accent import accent_times, release_times, resample
from studio.core.errors import Cancelled, InputError
from studio.core.finedance import (
    FEATURE_DIM,
    FPS,
    MUSIC_DIM,
    from_feature,
    heading,
    rotate_about_y,
    to_array,
    to_feature,
)  # fmt: skip
from studio.core.footlock import lock_feet
from studio.core.motion import Motion
from studio.metrics.beats import music_beats_from_features
from studio.metrics.duet import closest_distance
from studio.ml.duet import in_net_frame, lead_condition
from studio.ml.fdgn import FDGN
from studio.ml.normalize import ROOT_X, ROOT_Z, Normalizer, shift_root
from studio.ml.schedule import DDIMSampler, Inpainting, NoiseSchedule, classifier_free_guidance

REDRAWS = 2  # times an implausible candidate is sampled again (seed + k * REDRAW_SEED_STEP)
REDRAW_SEED_STEP = 1_000_003
MIN_SEGMENT = 1
# frames sampled past an open end and dropped: a window's very last frame is the net's worst (a pop), and a
# segment's last frame is the next one's seam (docs/fdgn.md, "Open ends")
OPEN_END_PAD = 4
# frames sampled before an open start (a song's first segment) and dropped: the window's first frames are
# the net's worst too (a small net starts a song floating and sinks into place)
OPEN_START_PAD = 8
Progress = Callable[[int, int], None]  # (steps done, steps in all)


def pick_device(name: str | None = None) -> torch.device:
    """``cuda`` when available (or asked for), else ``cpu``."""
    if name in (None, "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if str(name).startswith("cuda") and not torch.cuda.is_available():
        raise InputError("--device", expected="a CUDA-capable GPU with a CUDA build of torch",
                         found=f"none (torch {torch.__version__})", hint="use --device cpu")  # fmt: skip
    return torch.device(name)


@dataclass(frozen=True, eq=False)
class SegmentResult:
    """The M candidates of one segment: ``features`` (M, N, 319) in FineDance units (not normalised)."""

    start: int  # first frame of the segment in the song
    end: int  # one past the last frame
    features: np.ndarray
    seeds: tuple[int, ...]
    model_id: str = ""
    window: np.ndarray | None = None  # (M, kp + N + kn, 319): the segment with the constraint frames around it
    context: tuple[int, int] = (0, 0)  # (kp, kn): constraint frames before and after the segment in ``window``

    @property
    def num_candidates(self) -> int:
        return self.features.shape[0]

    def motion(self, index: int, fps: float = FPS) -> Motion:
        return from_feature(self.features[index], fps)[0]

    def motions(self, fps: float = FPS) -> list[Motion]:
        return [self.motion(i, fps) for i in range(self.num_candidates)]

    def candidates(self):
        """As document ``Candidate`` objects (no ranking scores yet)."""
        from studio.core.segments import Candidate

        return [Candidate(m, seed, model_id=self.model_id) for m, seed in zip(self.motions(), self.seeds, strict=True)]


class Choreographer:
    """Generate dances for a song with an FDGN model."""

    def __init__(
        self,
        model: FDGN,
        normalizer: Normalizer | None = None,
        *,
        device: str | torch.device | None = None,
        model_id: str = "",
        skeleton=None,
    ) -> None:
        self.device = pick_device(device) if not isinstance(device, torch.device) else device
        self.model = model.to(self.device).eval()
        self.config = model.config
        self.normalizer = normalizer or Normalizer.identity(MUSIC_DIM + model.config.lead_dim)
        self.schedule = NoiseSchedule.cosine(self.config.num_train_timesteps)
        self.model_id = model_id
        self._skeleton = skeleton

    @classmethod
    def from_pretrained(cls, name_or_path: str | PathLike = "fdgn-small", device: str | None = None) -> Choreographer:
        from studio.ml.weights import load_pretrained

        dev = pick_device(device)
        loaded = load_pretrained(name_or_path, dev)
        return cls(loaded.model, loaded.normalizer, device=dev, model_id=loaded.model_id)

    @property
    def skeleton(self):
        if self._skeleton is None:
            from studio.body.provider import default_skeleton

            self._skeleton = default_skeleton()
        return self._skeleton

    # -- one segment ---------------------------------------------------------------------------------
    def generate_segment(
        self,
        music: np.ndarray,
        start: int,
        end: int,
        *,
        num_candidates: int = 8,
        seeds: int | Sequence[int] | None = 0,
        prev: np.ndarray | Motion | None = None,
        next: np.ndarray | Motion | None = None,  # the successor segment's head
        steps: int | None = None,
        guidance: float | None = None,
        callback: Progress | None = None,
        interrupt: threading.Event | None = None,
        lead: tuple[np.ndarray, int] | None = None,
        anchor: tuple[float, float, float] | None = None,
    ) -> SegmentResult:
        """M candidates for frames ``start:end`` of a song whose 35-d features (30 fps) are ``music``.

        ``prev``: the previous segment's motion (its last ``context_frames`` frames are kept exactly);
        ``next``: the next segment's motion (its first frames are kept). Each as (K, 319) features or Motion.
        ``callback(done, total)`` after every denoising step; ``interrupt.set()`` raises ``Cancelled`` before
        the next step.

        A partner model (``config.lead_dim``) needs ``lead``: the lead's joint positions (F, >=22, 3) in the
        song's frame and the song frame of their first row (frames outside are held); and, without ``prev``,
        ``anchor``: where the partner starts, (x, z, heading in radians), e.g. from its formation.
        """
        music = self._check_music(music)
        if bool(self.config.lead_dim) != (lead is not None):
            raise InputError(None, expected="the lead's motion for a partner model, none for a solo model",
                             found="a lead" if lead is not None else "no lead")  # fmt: skip
        start, end = int(start), int(end)
        if not 0 <= start < end or end - start < MIN_SEGMENT:
            raise ValueError(f"a segment needs 0 <= start < end, got {start}..{end}")
        if num_candidates < 1:
            raise ValueError(f"num_candidates must be >= 1, got {num_candidates}")
        seeds = _seeds(seeds, num_candidates)
        k = self.config.context_frames
        head = self._context(prev, tail=True) if prev is not None and k else None
        tail = self._context(next, tail=False) if next is not None and k else None
        kp = 0 if head is None else len(head)
        kn = 0 if tail is None else len(tail)
        pad = 0 if kn else OPEN_END_PAD
        early = 0 if kp else OPEN_START_PAD
        first = start - kp - early  # the song frame of the window's first frame
        given = (head, tail)
        beats = music_beats_from_features(music) if self.config.beat_accent else None
        if beats is not None:  # the net works in unaccented time: undo the neighbours' accents for it
            head = None if head is None else self._release(head, start - kp, beats)
            tail = None if tail is None else self._release(tail, end, beats)
        frames = np.clip(np.arange(first, end + kn + pad), 0, len(music) - 1)
        window_music = music[frames]

        reference = np.zeros(2, dtype=np.float32)
        if self.config.canonical_root:
            source = head if head is not None else tail
            if source is not None:
                reference = source[0, [ROOT_X, ROOT_Z]].astype(np.float32)
            elif anchor is not None:
                reference = np.asarray(anchor[:2], dtype=np.float32)
        known = (head, tail)  # as the net would have made them, in the song's frame
        yaw, pivot = 0.0, reference
        if anchor is not None and head is None and tail is None:
            yaw, pivot = float(anchor[2]), reference.astype(np.float64)
        if self.config.context_yaw and (head is not None or tail is not None):
            # the net snaps round to face front from a context facing far away: show it the context turned to
            # within context_yaw_keep of the front (about the vertical through its first frame), turn its dance back
            source = head if head is not None else tail
            facing, keep = heading(source), np.radians(self.config.context_yaw_keep)
            yaw, pivot = facing - float(np.clip(facing, -keep, keep)), source[0, [ROOT_X, ROOT_Z]].astype(np.float64)
            head = None if head is None else rotate_about_y(head, -yaw, pivot)
            tail = None if tail is None else rotate_about_y(tail, -yaw, pivot)
        lead_points = None
        if lead is not None:  # the lead as the partner sees it: in the frame the net samples the partner in
            positions, lead_first = lead
            rows = np.clip(frames - int(lead_first), 0, len(positions) - 1)
            track = lead_condition(np.asarray(positions)[rows], yaw, pivot, reference)
            window_music = np.concatenate((window_music, track), axis=1)
            if self.config.min_clearance:  # every joint (fingers too), for the clearance check
                lead_points = in_net_frame(np.asarray(positions)[rows], yaw, pivot, reference)
        with torch.inference_mode():
            x = self._sample(window_music, head, tail, reference, seeds, steps, guidance, callback, interrupt)
            if self.config.max_turn or self.config.max_seam_jump or lead_points is not None:
                sampling = (window_music, head, tail, reference, steps, guidance, interrupt)
                seeds = self._redraw_implausible(x, kp, kn, seeds, sampling, lead_points)
        if yaw:
            x = self._turn_back(x, yaw, pivot - reference, reference, kp, kn, *known)
        if self.config.seam_blend:
            x = hand_over_seams(x, kp, kn, self.config.seam_blend)
        window = shift_root(x, reference).astype(np.float32)
        if self.config.stage_pull and kn == 0:
            window = pull_to_stage(window, kp, self.config.stage_pull)
        if beats is not None:
            window = self._accent(window, first, kp, kn, beats, *given)
        if self.config.foot_lock:
            window = self._lock_feet(window, fixed_end=kn > 0, fixed_start=kp)
        window = window[:, early : window.shape[1] - pad]
        segment = np.ascontiguousarray(window[:, kp : kp + (end - start)])
        return SegmentResult(start, end, segment, tuple(seeds), self.model_id, window, (kp, kn))

    # -- a whole song --------------------------------------------------------------------------------
    def generate_song(
        self,
        music: np.ndarray,
        segments: Sequence[tuple[int, int]],
        *,
        num_candidates: int = 8,
        seed: int = 0,
        choose: Callable[[int, SegmentResult], int] | None = None,
        callback: Callable[[int, int, int, int], None] | None = None,
        interrupt: threading.Event | None = None,
        steps: int | None = None,
    ) -> tuple[list[SegmentResult], list[int]]:
        """Every segment in order, each constrained by the chosen candidate of its predecessor.

        ``segments`` are (start, end) frames. ``choose(index, result)`` picks the candidate that continues
        (default: the first). Segment ``i`` uses seeds ``seed + i * num_candidates + j``.
        ``callback(segment, num_segments, step, steps)``. Returns the results and the chosen indices.
        """
        results: list[SegmentResult] = []
        chosen: list[int] = []
        prev = None
        for i, (start, end) in enumerate(segments):

            def step_callback(done: int, total: int, i: int = i) -> None:
                if callback is not None:
                    callback(i, len(segments), done, total)

            result = self.generate_segment(
                music, start, end, num_candidates=num_candidates, seeds=seed + i * num_candidates,
                prev=prev, steps=steps, callback=step_callback, interrupt=interrupt,
            )  # fmt: skip
            pick = 0 if choose is None else int(choose(i, result))
            results.append(result)
            chosen.append(pick)
            prev = result.features[pick]
        return results, chosen

    def regenerate(
        self,
        music: np.ndarray,
        segments: Sequence[tuple[int, int]],
        dance: Sequence[np.ndarray],
        index: int,
        **kwargs,
    ) -> SegmentResult:
        """New candidates for segment ``index`` between the current ``dance`` (one (N_i, 319) per segment)."""
        prev = dance[index - 1] if index > 0 else None
        nxt = dance[index + 1] if index + 1 < len(segments) else None
        start, end = segments[index]
        return self.generate_segment(music, start, end, prev=prev, next=nxt, **kwargs)

    # -- internals -----------------------------------------------------------------------------------
    def _redraw_implausible(self, x, kp, kn, seeds, sampling, lead_points=None) -> list[int]:
        """Sample again, with other seeds, the candidates that move as no body can: a joint turning faster than
        ``max_turn`` (a small net sometimes spins the whole body half round in two frames near a window's open
        end) or a fast catch-up at a seam (``max_seam_jump``); for a partner, one that comes closer to the lead
        than ``min_clearance`` (``lead_points``: the lead's joints in the sampling frame). Each candidate keeps
        its least implausible draw; ``x`` is updated in place; returns the seeds that made it."""
        seeds = list(seeds)
        badness = [self._implausibility(x[i], kp, kn, lead_points) for i in range(len(seeds))]
        for attempt in range(1, REDRAWS + 1):
            bad = [i for i in range(len(seeds)) if badness[i] > 1.0]
            if not bad:
                break
            new_seeds = [seeds[i] + attempt * REDRAW_SEED_STEP for i in bad]
            music, head, tail, reference, steps, guidance, interrupt = sampling
            again = self._sample(music, head, tail, reference, new_seeds, steps, guidance, None, interrupt)
            for row, i in enumerate(bad):
                score = self._implausibility(again[row], kp, kn, lead_points)
                if score < badness[i]:
                    x[i], seeds[i], badness[i] = again[row], new_seeds[row], score
        return seeds

    def _implausibility(self, x: np.ndarray, kp: int, kn: int, lead_points: np.ndarray | None = None) -> float:
        """How far one candidate window is over the plausibility limits (> 1: over one of them)."""
        cfg = self.config
        score = 0.0
        if cfg.max_turn:
            score = fastest_turn(x[max(kp - 1, 0) : len(x) - kn]) / cfg.max_turn
        if cfg.max_seam_jump and (kp or kn):
            eased = hand_over_seams(x[None], kp, kn, cfg.seam_blend)[0] if cfg.seam_blend else x
            score = max(score, seam_jump(eased, kp, kn, self.skeleton, cfg.seam_blend) / cfg.max_seam_jump)
        if lead_points is not None and cfg.min_clearance:
            own = from_feature(x[kp : len(x) - kn])[0].positions(self.skeleton)
            score = max(score, cfg.min_clearance / max(closest_distance(own, lead_points[kp : len(x) - kn]), 1e-6))
        return score

    @staticmethod
    def _turn_back(x, yaw, pivot, reference, kp, kn, head, tail) -> np.ndarray:
        """Candidate windows sampled in the context's frame (``x``: (M, L, 319), root x/z less ``reference``)
        turned by ``yaw`` about ``pivot`` back into the song's frame; the constraint frames put back exactly as
        given (a turn orthonormalises the root's rot6d, which the net's frames need not have)."""
        out = rotate_about_y(x, yaw, pivot).astype(np.float32)
        if head is not None:
            out[:, :kp] = shift_root(head, -reference)
        if tail is not None:
            out[:, out.shape[1] - kn :] = shift_root(tail, -reference)
        return out

    def _release(self, part: np.ndarray, first: int, beats: np.ndarray) -> np.ndarray:
        """Constraint frames (accented, first at song frame ``first``) as the net would have made them."""
        if len(part) < 2:
            return part
        frames = np.arange(first, first + len(part))
        return resample(part, release_times(frames, beats, self.config.beat_accent), first)

    def _accent(self, window, first, kp, kn, beats, head, tail) -> np.ndarray:
        """Retime the generated frames of every candidate's window (first frame at song frame ``first``) to the
        beats, and put the constraint frames back as given."""
        out = np.array(window, copy=True)
        length = window.shape[1]
        source = accent_times(np.arange(first + kp, first + length - kn), beats, self.config.beat_accent)
        for i, features in enumerate(window):
            out[i, kp : length - kn] = resample(features, source, first)
        if head is not None:
            out[:, :kp] = head
        if tail is not None:
            out[:, length - kn :] = tail
        return out

    def _lock_feet(self, window: np.ndarray, fixed_end: bool, fixed_start: int) -> np.ndarray:
        """Planted feet held still on every candidate's window (contacts kept: the net's own labels)."""
        out = np.array(window, copy=True)
        for i, features in enumerate(window):
            motion, _ = from_feature(features)
            locked, _ = lock_feet(motion, self.skeleton, anchor_end=fixed_end, fixed_start=fixed_start)
            out[i, :, 4:] = to_array(locked)
        return out

    def _check_music(self, music: np.ndarray) -> np.ndarray:
        music = np.asarray(music, dtype=np.float32)
        if music.ndim != 2 or music.shape[1] != MUSIC_DIM or len(music) == 0:
            raise InputError(None, expected=f"music features of shape (T, {MUSIC_DIM})", found=f"shape {music.shape}")
        if not np.all(np.isfinite(music)):
            raise InputError(None, expected="finite music features", found="NaN or infinity")
        return condition_features(music, self.config.music_norm)

    def _context(self, motion: np.ndarray | Motion, tail: bool) -> np.ndarray:
        k = self.config.context_frames
        if isinstance(motion, Motion):
            part = motion[-k:] if tail else motion[:k]
            # contacts need the next frame's position: take one more frame where there is one
            features = to_feature(motion[-k - 1 :] if tail else motion[: k + 1], self.skeleton)
            features = features[-len(part) :] if tail else features[: len(part)]
            return features.astype(np.float32)
        array = np.asarray(motion, dtype=np.float32)
        if array.ndim != 2 or array.shape[1] != FEATURE_DIM or len(array) == 0:
            raise InputError(None, expected=f"a constraint of shape (K, {FEATURE_DIM}) or a Motion",
                             found=f"shape {array.shape}")  # fmt: skip
        return array[-k:] if tail else array[:k]

    def _sample(self, music, head, tail, reference, seeds, steps, guidance, callback, interrupt) -> np.ndarray:
        cfg, dev, norm = self.config, self.device, self.normalizer
        m, length = len(seeds), len(music)
        shape = (m, length, FEATURE_DIM)
        generators = [torch.Generator().manual_seed(int(s)) for s in seeds]

        def noise() -> torch.Tensor:
            return torch.stack([torch.randn(shape[1:], generator=g) for g in generators]).to(dev)

        sampler = DDIMSampler(self.schedule, eta=cfg.eta)
        sampler.set_timesteps(steps or cfg.sampling_steps)
        weight = cfg.guidance_weight if guidance is None else float(guidance)
        guided = weight != 1.0

        music_t = norm.normalize_music(torch.as_tensor(music, device=dev))[None]
        tokens = self.model.encode_music(music_t)  # the same for every candidate and step
        batch = 2 * m if guided else m
        music_b = music_t.expand(batch, -1, -1)
        tokens_b = tokens.expand(batch, -1, -1)
        keep = torch.tensor([True] * m + [False] * m, device=dev) if guided else None

        def known(part):
            if part is None:
                return None
            t = torch.as_tensor(shift_root(part, -reference.astype(part.dtype)), device=dev)
            return norm.normalize_motion(t)

        inpaint = None
        if head is not None or tail is not None:
            inpaint = Inpainting.frames(shape, known(head), known(tail), noised=cfg.constraints == "noised")

        x = noise()
        pairs = sampler.pairs()
        if inpaint is not None:
            x = inpaint.apply(x, pairs[0][0], self.schedule, noise())
        for i, (t, t_prev) in enumerate(pairs):
            if interrupt is not None and interrupt.is_set():
                raise Cancelled("generation cancelled")
            times = torch.full((batch,), t, device=dev, dtype=torch.long)
            xb = torch.cat((x, x)) if guided else x
            out = self.model(xb, times, music_b, keep=keep, music_tokens=tokens_b,
                             hand_guidance=1.0 if guided else cfg.hand_guidance,
                             body_guidance=1.0 if guided else cfg.body_guidance)  # fmt: skip
            x0 = classifier_free_guidance(out[:m], out[m:], weight) if guided else out
            step_noise = noise() if cfg.eta > 0 and t_prev >= 0 else None
            x = sampler.step(x0, t, x, t_prev, step_noise)
            if inpaint is not None:
                x = inpaint.apply(x, t_prev, self.schedule, noise() if t_prev >= 0 else x)
            if callback is not None:
                callback(i + 1, len(pairs))
        if interrupt is not None and interrupt.is_set():
            raise Cancelled("generation cancelled")
        return norm.denormalize_motion(x).float().cpu().numpy()


def fastest_turn(features: np.ndarray) -> float:
    """The largest frame-to-frame rotation (degrees) of any joint in (T, 319) features."""
    if len(features) < 2:
        return 0.0
    rotations = rot.rot6d_to_matrix(features[:, 7:].reshape(len(features), -1, 6), strict=False)
    cosine = ((rotations[:-1] * rotations[1:]).sum((-2, -1)) - 1.0) / 2.0  # trace(A^T B) = cos of the angle
    return float(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))).max())


def seam_jump(features: np.ndarray, kp: int, kn: int, skeleton, span: int = 1) -> float:
    """The largest step at a window's seams over the median step between the generated frames; a step = mean
    joint displacement in one frame (``studio.metrics.seams``' velocity ratio, for one window). A seam's steps
    are the ``span`` from the last constraint frame in (and the ``span`` into the first one out): with the
    seams handed over, a net that misses its constraint frames shows as a fast catch-up there, not at the seam
    itself. 0.0 without seams or generated frames."""
    if not (kp or kn) or len(features) - kp - kn < 3:
        return 0.0
    positions = from_feature(features)[0].global_transforms(skeleton)[..., :3, 3]
    steps = np.linalg.norm(np.diff(positions, axis=0), axis=-1).mean(axis=1)  # step t: frame t -> t + 1
    last = len(features) - kn  # one past the last generated frame
    inside = float(np.median(steps[kp : last - 1]))
    span = max(1, min(span, last - kp))
    seam = max(steps[kp - 1 : kp - 1 + span].max() if kp else 0.0, steps[last - span : last].max() if kn else 0.0)
    return float(seam / max(inside, 1e-9))


def hand_over_seams(window: np.ndarray, kp: int, kn: int, frames: int) -> np.ndarray:
    """Join the generated frames to the constraint frames without a jump (a new array).

    A small net does not continue its constraint frames exactly: its first generated frames sit off them
    (measured on the shipped model: the step into a segment was 2.9x the median step, and the steps after it
    about 2x for 8 frames). So the first ``frames`` generated frames start as the constraint frames' own
    continuation (their last frame moved on at their last velocity) and hand over to the net's frames along a
    smoothstep: position and velocity are continuous at the seam, and the net's offset is caught up over the
    hand-over instead of in one step. The same toward tail constraint frames. Contacts are left alone.
    """
    out = np.array(window, copy=True)
    length = out.shape[1]
    span = min(frames, length - kp - kn)
    if span < 1:
        return out
    u = np.arange(1, span + 1) / (span + 1)
    share = (u * u * (3.0 - 2.0 * u))[None, :, None]  # of the net's frames
    steps = np.arange(1, span + 1)[None, :, None]
    if kp:
        last = window[:, kp - 1, 4:]
        velocity = last - window[:, kp - 2, 4:] if kp > 1 else np.zeros_like(last)
        carried = last[:, None] + steps * velocity[:, None]
        out[:, kp : kp + span, 4:] = (1 - share) * carried + share * window[:, kp : kp + span, 4:]
    if kn:
        first = length - kn
        head = window[:, first, 4:]
        velocity = head - window[:, first + 1, 4:] if kn > 1 else np.zeros_like(head)
        carried = head[:, None] + steps * velocity[:, None]  # backwards from the constraint
        seg = out[:, first - span : first, 4:][:, ::-1]
        out[:, first - span : first, 4:] = ((1 - share) * carried + share * seg)[:, ::-1]
    return out


def pull_to_stage(window: np.ndarray, kp: int, speed: float) -> np.ndarray:
    """Ease the generated frames' root back toward the stage centre (x = z = 0), at most ``speed`` m/frame.

    A model trained on windows whose root starts at the origin (``canonical_root``) does not know where the
    stage is, and small biases add up over a song. The offset grows linearly from 0 at the first generated
    frame to ``-end`` (the last frame's horizontal position, capped at ``speed`` x frames) at the last one;
    the feet slide by at most ``speed`` per frame (1 mm is far below the 1 cm/frame of the skating metric).
    """
    out = np.array(window, copy=True)
    free = out.shape[1] - kp
    if free < 1:
        return out
    end = out[:, -1, [ROOT_X, ROOT_Z]]  # (M, 2)
    norm = np.linalg.norm(end, axis=-1, keepdims=True)
    limit = speed * free
    pull = -end * np.minimum(1.0, limit / np.maximum(norm, 1e-9))
    ramp = (np.arange(1, free + 1) / free)[None, :, None]
    out[:, kp:, [ROOT_X, ROOT_Z]] += ramp * pull[:, None, :]
    return out


def _seeds(seeds: int | Sequence[int] | None, count: int) -> list[int]:
    if seeds is None:
        base = int(np.random.default_rng().integers(0, 2**31 - count))
        return [base + i for i in range(count)]
    if isinstance(seeds, int | np.integer):
        if seeds < 0:
            raise ValueError(f"seed must be >= 0, got {seeds}")
        return [int(seeds) + i for i in range(count)]
    seeds = [int(s) for s in seeds]
    if len(seeds) != count or any(s < 0 for s in seeds):
        raise ValueError(f"give {count} non-negative seeds, got {seeds}")
    return seeds


def segments_to_frames(segments: Sequence[tuple[float, float]], fps: float = FPS) -> list[tuple[int, int]]:
    """(start, end) seconds -> contiguous (start, end) frames."""
    frames = [(round(a * fps), round(b * fps)) for a, b in segments]
    return [(a, b) for a, b in frames if b > a]
