"""FDGN: the composite of body expert, hand expert and refine net (FineNet's generation network).

One call denoises the whole 319-d feature: the body expert predicts the clean body part from the noisy body
part and the music; the hand expert predicts the clean hands from the noisy hands, the music and that body
prediction; the refine net merges both. All in the model's (normalised) feature space.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import torch
from torch import nn

from studio.audio.features import MUSIC_NORMS
from studio.core.finedance import BODY_FEATURE_DIM, FEATURE_DIM, HAND_FEATURE_DIM
from studio.ml.nets.denoiser import DenoiserConfig
from studio.ml.nets.experts import MUSIC_DIM, BodyExpert, HandExpert, WholeBodyNet
from studio.ml.nets.refine import RefineNet


def body_config(**sizes: Any) -> DenoiserConfig:
    return DenoiserConfig(nfeats=BODY_FEATURE_DIM, cond_dim=MUSIC_DIM, **sizes)


def hand_config(**sizes: Any) -> DenoiserConfig:
    return DenoiserConfig(nfeats=HAND_FEATURE_DIM, cond_dim=BODY_FEATURE_DIM + MUSIC_DIM, **sizes)


def whole_body_config(**sizes: Any) -> DenoiserConfig:
    """One net for all 319 channels: the ablation without a hand expert (``FDGNConfig(hand=None)``)."""
    return DenoiserConfig(nfeats=FEATURE_DIM, cond_dim=MUSIC_DIM, **sizes)


@dataclass(frozen=True)
class FDGNConfig:
    """Sizes of the nets and the sampling defaults that belong with a trained model."""

    body: DenoiserConfig = field(default_factory=body_config)
    hand: DenoiserConfig | None = field(default_factory=hand_config)  # None: ``body`` is one whole-body net
    refine_hidden: int = 128  # 0: no refine net (identity), as in the published FineDance checkpoints
    refine_kernel: int = 3
    num_train_timesteps: int = 1000
    sampling_steps: int = 12  # DDIM steps the pipeline uses unless told otherwise
    guidance_weight: float = 2.0  # classifier-free guidance; 1.0 = conditional only (one pass, faster)
    hand_guidance: float = 1.0  # guidance of the hand expert alone (when guidance_weight is 1: a cheap second pass)
    body_guidance: float = 1.0  # guidance of the body expert alone (when guidance_weight is 1); hands keep theirs
    eta: float = 0.0
    cond_drop_prob: float = 0.25  # training: share of samples whose condition is dropped
    context_frames: int = 8  # frames of a neighbouring segment given as inpainting constraint
    window: int = 120  # the segment length the model was trained around (frames)
    canonical_root: bool = True  # windows are trained with their first frame's root x/z at the origin
    clip_x0: float | None = None  # clamp the x0 prediction to +-clip (FineDance clamps to 1 without normalising)
    # how the pipeline imposes constraint frames: "noised" (EDGE: noised to each step's level) or "clean"
    # (the values themselves at every step; for models trained with clean context, TrainConfig.context_prob)
    constraints: str = "noised"
    stage_pull: float = 0.0  # m/frame: the pipeline eases an open-ended segment back toward x = z = 0 (0: off)
    seam_blend: int = 0  # frames over which the pipeline hands a seam over to the net's frames (0: off)
    foot_lock: bool = False  # the pipeline holds planted feet still (studio.core.footlock) on every candidate
    max_turn: float = 0.0  # deg/frame: a candidate with a joint turning faster is sampled again (0: off)
    max_seam_jump: float = 0.0  # a candidate whose step at a seam exceeds this x its median step is sampled again
    beat_accent: float = 0.0  # in [0, 1): the pipeline retimes candidates to slow into each beat (studio.core.accent)
    # what the nets see of the song's 35-d features: "none" (as analysed; FineDance checkpoints) or "song"
    # (continuous columns z-scored over the whole song, studio.audio.features.song_normalized)
    music_norm: str = "none"
    # the pipeline samples a segment with context frames turned by minus their heading about Y (the net sees them
    # facing front) and turns the candidates back: the net's face-front prior no longer snaps the dancer round
    context_yaw: bool = False
    # degrees of that heading the net is still shown (only the rest is turned away): from there its own
    # face-front prior turns the dancer back toward the audience, smoothly (0: the context turned fully to front)
    context_yaw_keep: float = 0.0
    # a partner model: this many channels of the lead's motion in the partner's frame follow the music in the
    # condition (studio.ml.duet); 0: a solo model
    lead_dim: int = 0
    # m: a partner candidate with a joint closer than this to one of the lead's is sampled again (0: off); above
    # the duet metrics' 0.2 m, as seams, accents and foot locking move the joints a little after the check
    min_clearance: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.body, DenoiserConfig) or not isinstance(self.hand, DenoiserConfig | None):
            raise TypeError("body must be a DenoiserConfig, hand a DenoiserConfig or None")
        if self.refine_hidden < 0 or self.sampling_steps < 1 or self.context_frames < 0 or self.window < 8:
            raise ValueError(f"invalid FDGN config: {self}")
        if self.stage_pull < 0 or self.seam_blend < 0 or self.max_turn < 0:
            raise ValueError("stage_pull, seam_blend and max_turn must be >= 0")
        if self.min_clearance < 0:
            raise ValueError(f"min_clearance must be >= 0, got {self.min_clearance}")
        if self.lead_dim < 0:
            raise ValueError(f"lead_dim must be >= 0, got {self.lead_dim}")
        if self.body.cond_dim != MUSIC_DIM + self.lead_dim:
            raise ValueError(f"the body net's cond_dim {self.body.cond_dim} must be {MUSIC_DIM} + lead_dim "
                             f"({self.lead_dim})")  # fmt: skip
        if not 0.0 <= self.context_yaw_keep <= 180.0:
            raise ValueError(f"context_yaw_keep must be in [0, 180] degrees, got {self.context_yaw_keep}")
        if not 0.0 <= self.beat_accent < 1.0:
            raise ValueError(f"beat_accent must be in [0, 1), got {self.beat_accent}")
        if self.music_norm not in MUSIC_NORMS:
            raise ValueError(f"music_norm must be one of {MUSIC_NORMS}, got {self.music_norm!r}")
        if self.constraints not in ("noised", "clean"):
            raise ValueError(f"constraints must be 'noised' or 'clean', got {self.constraints!r}")
        if not 1 <= self.sampling_steps <= self.num_train_timesteps:
            raise ValueError("sampling_steps must be in 1..num_train_timesteps")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FDGNConfig:
        data = dict(data)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown FDGN config keys: {unknown}")
        for part in ("body", "hand"):
            if isinstance(data.get(part), dict):
                data[part] = DenoiserConfig(**data[part])
        return cls(**data)

    def replace(self, **changes: Any) -> FDGNConfig:
        return replace(self, **changes)


# what the small models sample with (why each, with the figures behind it: docs/fdgn.md, "Pipeline"): seams
# handed over from the constraint frames' own continuation, a slow pull back toward the stage centre, planted
# feet held, candidates that move as no body can (a joint faster than the corpus's fastest turn, a fast
# catch-up at a seam) redrawn, the hand expert guided on its own (hands that follow the music and the body, at
# a second hand pass), beats accented (the nets' speed is flat over the beat phase, the corpus's is not), each
# segment sampled in the frame of its context's heading less a part the net may turn back (no snap to facing
# front); training with --context-prob saves constraints = "clean"
SMALL_SAMPLING = dict(refine_hidden=128, sampling_steps=10, guidance_weight=1.0, hand_guidance=3.0, seam_blend=12,
                      stage_pull=0.001, foot_lock=True, max_turn=75.0, max_seam_jump=5.0, beat_accent=0.25,
                      context_yaw=True, context_yaw_keep=45.0)  # fmt: skip


PARTNER_CLEARANCE = 0.25  # m, a partner model's min_clearance


def partner_config(solo: FDGNConfig, lead_dim: int) -> FDGNConfig:
    """A partner model's config from a solo model's: the same nets with ``lead_dim`` more condition channels,
    sampled in the partner's own frame (its context turned fully to front: the frame it is trained in)."""
    body = replace(solo.body, cond_dim=solo.body.cond_dim + lead_dim)
    hand = None if solo.hand is None else replace(solo.hand, cond_dim=solo.hand.cond_dim + lead_dim)
    return replace(solo, body=body, hand=hand, lead_dim=solo.lead_dim + lead_dim, context_yaw=True,
                   context_yaw_keep=0.0, min_clearance=PARTNER_CLEARANCE)  # fmt: skip


def preset(name: str) -> FDGNConfig:
    """Named configurations: ``tiny`` (tests), ``small``, ``small-v2`` (shipped, interactive on a CPU),
    ``small-whole`` (ablation without hand expert), ``official``."""
    if name == "tiny":
        sizes = dict(latent_dim=32, ff_size=64, num_layers=1, num_heads=2, cond_layers=1, seq_len=32, dropout=0.0)
        return FDGNConfig(body_config(**sizes), hand_config(**sizes), refine_hidden=16, sampling_steps=4,
                          guidance_weight=1.0, context_frames=4, window=32)  # fmt: skip
    if name == "small":
        body = body_config(latent_dim=128, ff_size=256, num_layers=3, num_heads=4, cond_layers=1, seq_len=136,
                           dropout=0.05)  # fmt: skip
        hand = hand_config(latent_dim=96, ff_size=192, num_layers=2, num_heads=4, cond_layers=1, seq_len=136,
                           dropout=0.05)  # fmt: skip
        return FDGNConfig(body, hand, refine_hidden=128, sampling_steps=10, guidance_weight=1.0)
    if name == "small-v2":
        # frame-aligned music conditioning: what ``models/fdgn-small`` is trained with
        sizes = dict(num_heads=4, cond_layers=1, seq_len=136, dropout=0.05, frame_cond=True)
        body = body_config(latent_dim=128, ff_size=256, num_layers=3, **sizes)
        hand = hand_config(latent_dim=96, ff_size=192, num_layers=2, **sizes)
        return FDGNConfig(body, hand, **SMALL_SAMPLING)
    if name == "small-whole":
        # the ablation: one net for the whole body, about as many parameters as small-v2's two experts
        whole = whole_body_config(latent_dim=152, ff_size=304, num_layers=3, num_heads=4, cond_layers=1,
                                  seq_len=136, dropout=0.05, frame_cond=True)  # fmt: skip
        return FDGNConfig(whole, None, **SMALL_SAMPLING)
    if name == "official":
        from studio.ml.official import official_config

        return official_config()
    raise ValueError(f"unknown FDGN preset {name!r}; presets are tiny, small, small-v2, small-whole, official")


class FDGN(nn.Module):
    def __init__(self, config: FDGNConfig) -> None:
        super().__init__()
        self.config = config
        lead = config.lead_dim
        self.body = BodyExpert(config.body, lead) if config.hand is not None else WholeBodyNet(config.body, lead)
        self.hand = HandExpert(config.hand, lead) if config.hand is not None else None
        self.refine = RefineNet(config.refine_hidden, config.refine_kernel) if config.refine_hidden else None

    def encode_music(self, music: torch.Tensor) -> torch.Tensor:
        """Body-expert condition tokens for a music window; constant across sampling steps."""
        return self.body.encode_condition(music)

    def forward(
        self,
        x_t: torch.Tensor,
        times: torch.Tensor,
        music: torch.Tensor,
        *,
        keep: torch.Tensor | None = None,
        music_tokens: torch.Tensor | None = None,
        return_parts: bool = False,
        hand_guidance: float = 1.0,
        body_guidance: float = 1.0,
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """x0 prediction (B, T, 319) from noisy features, timesteps (B,) and music (B, T, 35).

        ``keep`` (B,) bool drops the condition where False. ``return_parts`` also returns the experts'
        concatenated output before the refine net. ``hand_guidance`` (without ``keep``): classifier-free
        guidance of the hand expert only, ``uncond + w (cond - uncond)``; the body expert runs once.
        ``body_guidance`` (without ``keep``): the same for the body expert, whose guided estimate the hand expert
        then sees: the body follows the music more strongly while the hands keep their own weight.
        """
        if x_t.shape[-1] != FEATURE_DIM:
            raise ValueError(f"FDGN denoises {FEATURE_DIM}-d features, got {x_t.shape[-1]}")
        if self.hand is None:
            merged = self.body(x_t, times, music, tokens=music_tokens, keep=keep)
            body, hands = merged[..., :BODY_FEATURE_DIM], merged[..., BODY_FEATURE_DIM:]
        else:
            if body_guidance != 1.0 and keep is None:
                body = self._guided_body(x_t[..., :BODY_FEATURE_DIM], times, music, music_tokens, body_guidance)
            else:
                body = self.body(x_t[..., :BODY_FEATURE_DIM], times, music, tokens=music_tokens, keep=keep)
            condition = HandExpert.condition(body, music)
            if hand_guidance != 1.0 and keep is None:
                b = len(x_t)
                both = torch.cat((x_t[..., BODY_FEATURE_DIM:],) * 2)
                kept = torch.arange(2 * b, device=x_t.device) < b  # conditional first, then unconditional
                out = self.hand(both, times.repeat(2), torch.cat((condition, condition)), keep=kept)
                hands = out[b:] + hand_guidance * (out[:b] - out[b:])
            else:
                hands = self.hand(x_t[..., BODY_FEATURE_DIM:], times, condition, keep=keep)
            merged = torch.cat((body, hands), dim=-1)
        out = merged if self.refine is None else self.refine(body, hands)
        if self.config.clip_x0:
            out = out.clamp(-self.config.clip_x0, self.config.clip_x0)
        return (out, merged) if return_parts else out

    def _guided_body(self, x_body, times, music, music_tokens, weight: float) -> torch.Tensor:
        b = len(x_body)
        kept = torch.arange(2 * b, device=x_body.device) < b  # conditional first, then unconditional
        tokens = None if music_tokens is None else torch.cat((music_tokens, music_tokens))
        out = self.body(torch.cat((x_body, x_body)), times.repeat(2), torch.cat((music, music)), tokens=tokens,
                        keep=kept)  # fmt: skip
        return out[b:] + weight * (out[:b] - out[b:])
