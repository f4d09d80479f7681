"""Diffusion apart from networks: the noise schedule, the DDIM sampler, guidance and inpainting.

Nothing here knows a network. The pipeline owns the loop::

    sampler = DDIMSampler(NoiseSchedule.cosine(1000))
    sampler.set_timesteps(12)
    x = noise
    for t, t_prev in sampler.pairs():
        x0 = model(x, t)                        # the net predicts the clean sample (x0-prediction)
        x = sampler.step(x0, t, x, t_prev)      # t_prev == -1 on the last step: returns x0
        x = inpainting.apply(x, t_prev, noise)  # known frames re-imposed (EDGE-style)

Glossary: ``t`` is an integer training timestep in ``0 .. T-1`` (``T`` = ``num_train_timesteps``);
``alphas_cumprod[t]`` is the signal share ``abar_t`` so that ``x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps``;
timestep ``-1`` means "clean" (``abar = 1``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

CLEAN = -1  # the timestep after the last denoising step


class NoiseSchedule:
    """Betas and their cumulative products over ``num_train_timesteps`` steps (float64 inside)."""

    def __init__(self, betas: torch.Tensor) -> None:
        betas = torch.as_tensor(betas, dtype=torch.float64)
        if betas.ndim != 1 or len(betas) < 2:
            raise ValueError(f"betas must be a 1-D tensor of at least 2 steps, got shape {tuple(betas.shape)}")
        if not bool(torch.all((betas > 0) & (betas < 1))):
            raise ValueError("betas must lie in (0, 1)")
        self.betas = betas
        self.alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)

    @classmethod
    def cosine(cls, num_train_timesteps: int = 1000, s: float = 0.008, max_beta: float = 0.999) -> NoiseSchedule:
        """Nichol & Dhariwal's cosine schedule, as EDGE / FineDance build it (betas clipped at ``max_beta``)."""
        steps = torch.arange(num_train_timesteps + 1, dtype=torch.float64) / num_train_timesteps
        f = torch.cos((steps + s) / (1 + s) * math.pi / 2) ** 2
        f = f / f[0]
        betas = (1 - f[1:] / f[:-1]).clamp(1e-8, max_beta)
        return cls(betas)

    @property
    def num_train_timesteps(self) -> int:
        return len(self.betas)

    def abar(self, t: int | torch.Tensor) -> torch.Tensor:
        """``alphas_cumprod`` at ``t`` (a Python int or a tensor of ints); ``t == -1`` gives 1."""
        t = torch.as_tensor(t, dtype=torch.long)
        padded = torch.cat([self.alphas_cumprod, torch.ones(1, dtype=torch.float64)])
        return padded[torch.where(t < 0, torch.full_like(t, len(self.betas)), t)]

    def add_noise(self, x0: torch.Tensor, noise: torch.Tensor, t: int | torch.Tensor) -> torch.Tensor:
        """q(x_t | x0): ``sqrt(abar) x0 + sqrt(1 - abar) noise``; ``t`` per batch item or one int."""
        abar = self.abar(t).to(x0.device)
        if abar.ndim == 1:
            abar = abar.reshape(-1, *([1] * (x0.ndim - 1)))
        abar = abar.to(x0.dtype)
        return abar.sqrt() * x0 + (1 - abar).sqrt() * noise


class DDIMSampler:
    """DDIM (Song et al.) for an x0-predicting model; ``eta = 0`` is deterministic given the start noise."""

    def __init__(self, schedule: NoiseSchedule, eta: float = 0.0) -> None:
        if eta < 0:
            raise ValueError(f"eta must be >= 0, got {eta}")
        self.schedule = schedule
        self.eta = float(eta)
        self.timesteps: list[int] = []

    def set_timesteps(self, num_inference_steps: int) -> list[int]:
        """Evenly spaced timesteps from ``T-1`` down to 0 (``T-1`` always first, as FineDance's ``ddim_sample``)."""
        total = self.schedule.num_train_timesteps
        if not 1 <= num_inference_steps <= total:
            raise ValueError(f"num_inference_steps must be in 1..{total}, got {num_inference_steps}")
        grid = torch.linspace(-1, total - 1, num_inference_steps + 1, dtype=torch.float64)
        points = sorted({int(v) for v in grid.round().tolist()}, reverse=True)
        self.timesteps = [t for t in points if t >= 0]
        return list(self.timesteps)

    def pairs(self) -> list[tuple[int, int]]:
        """``(t, t_prev)`` for every step; the last ``t_prev`` is ``CLEAN`` (-1)."""
        if not self.timesteps:
            raise RuntimeError("call set_timesteps(n) before sampling")
        return list(zip(self.timesteps, [*self.timesteps[1:], CLEAN], strict=True))

    def step(
        self,
        x0_pred: torch.Tensor,
        t: int,
        x_t: torch.Tensor,
        t_prev: int,
        noise: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """One DDIM update x_t -> x_{t_prev} from the model's x0 estimate.

        With ``t_prev == CLEAN`` the result is ``x0_pred`` itself. ``noise`` is needed only when ``eta > 0``.
        """
        if t_prev == CLEAN:
            return x0_pred
        if not 0 <= t_prev < t:
            raise ValueError(f"t_prev must be in 0..t-1 or {CLEAN}, got t={t}, t_prev={t_prev}")
        abar_t = float(self.schedule.abar(t))
        abar_prev = float(self.schedule.abar(t_prev))
        eps = (x_t - math.sqrt(abar_t) * x0_pred) / math.sqrt(1.0 - abar_t)
        sigma = self.eta * math.sqrt((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev))
        direction = math.sqrt(max(1.0 - abar_prev - sigma**2, 0.0))
        x_prev = math.sqrt(abar_prev) * x0_pred + direction * eps
        if sigma > 0:
            if noise is None:
                raise ValueError("eta > 0 needs a noise tensor for each step")
            x_prev = x_prev + sigma * noise
        return x_prev


def classifier_free_guidance(conditional: torch.Tensor, unconditional: torch.Tensor, weight: float) -> torch.Tensor:
    """``uncond + w (cond - uncond)``: w = 1 is the conditional prediction, w = 0 the unconditional one."""
    return unconditional + weight * (conditional - unconditional)


class Inpainting:
    """Known frames re-imposed at every step (EDGE's ``inpaint_loop``).

    ``mask`` is 1 where the value is known, broadcastable to the sample ``(B, T, C)``; ``values`` holds the
    known clean values there (anything elsewhere). After the step to ``t_prev`` the known region is replaced
    with ``values`` noised to ``t_prev``; after the last step (``t_prev == CLEAN``) with ``values`` exactly.

    ``noised=False`` re-imposes the clean values at every step instead: for a model trained with clean
    context frames (``TrainConfig.context_prob``), which then continues them far more faithfully.
    """

    def __init__(self, mask: torch.Tensor, values: torch.Tensor, noised: bool = True) -> None:
        self.mask = mask.to(values.dtype)
        self.values = values
        self.noised = noised

    @classmethod
    def frames(
        cls,
        shape: Sequence[int],
        head: torch.Tensor | None = None,
        tail: torch.Tensor | None = None,
        noised: bool = True,
    ) -> Inpainting:
        """Known ``head`` frames at the start and/or ``tail`` frames at the end of ``(B, T, C)`` samples.

        ``head`` / ``tail`` are ``(K, C)`` or ``(B, K, C)``.
        """
        batch, length, channels = shape
        ref = head if head is not None else tail
        dtype = ref.dtype if ref is not None else torch.float32
        device = ref.device if ref is not None else None
        mask = torch.zeros((batch, length, 1), dtype=dtype, device=device)
        values = torch.zeros((batch, length, channels), dtype=dtype, device=device)
        if head is not None and head.shape[-2] > 0:
            k = head.shape[-2]
            mask[:, :k] = 1
            values[:, :k] = head
        if tail is not None and tail.shape[-2] > 0:
            k = tail.shape[-2]
            if mask[0, length - k :].any():
                raise ValueError(f"head and tail constraints overlap in a window of {length} frames")
            mask[:, length - k :] = 1
            values[:, length - k :] = tail
        return cls(mask, values, noised)

    def apply(self, x: torch.Tensor, t_prev: int, schedule: NoiseSchedule, noise: torch.Tensor) -> torch.Tensor:
        noised = self.noised and t_prev != CLEAN
        known = schedule.add_noise(self.values, noise, t_prev) if noised else self.values
        return self.mask * known + (1 - self.mask) * x
