"""Noise schedule, DDIM sampler, guidance and inpainting: math on toy problems, no network."""

from __future__ import annotations

import math

import pytest
import torch

from studio.ml.schedule import CLEAN, DDIMSampler, Inpainting, NoiseSchedule, classifier_free_guidance


@pytest.fixture(scope="module")
def schedule() -> NoiseSchedule:
    return NoiseSchedule.cosine(1000)


def test_cosine_schedule_is_monotone_with_the_right_endpoints(schedule):
    abar = schedule.alphas_cumprod
    assert abar.shape == (1000,)
    assert torch.all(abar[1:] < abar[:-1])
    assert abar[0] > 0.9999 and abar[0] < 1.0
    assert abar[-1] < 1e-4
    assert torch.all((schedule.betas > 0) & (schedule.betas <= 0.999))
    assert float(schedule.abar(CLEAN)) == 1.0
    # Nichol & Dhariwal: abar(t) = f(t)/f(0), f(t) = cos^2((t/T + s)/(1 + s) * pi/2), in the middle too
    f = lambda t: math.cos((t / 1000 + 0.008) / 1.008 * math.pi / 2) ** 2  # noqa: E731
    assert float(abar[499]) == pytest.approx(f(500) / f(0), rel=1e-9)


def test_set_timesteps_descends_from_the_last_training_step(schedule):
    sampler = DDIMSampler(schedule)
    steps = sampler.set_timesteps(10)
    assert steps == [999, 899, 799, 699, 599, 499, 399, 299, 199, 99]
    pairs = sampler.pairs()
    assert pairs[0] == (999, 899) and pairs[-1] == (99, CLEAN)
    assert sampler.set_timesteps(1000) == list(range(999, -1, -1))
    with pytest.raises(ValueError):
        sampler.set_timesteps(0)


@pytest.mark.parametrize("eta", [0.0, 1.0])
def test_ddim_with_a_perfect_x0_predictor_returns_x0(schedule, eta):
    gen = torch.Generator().manual_seed(0)
    x0 = torch.randn(4, 16, 3, generator=gen)
    sampler = DDIMSampler(schedule, eta=eta)
    sampler.set_timesteps(12)
    x = torch.randn(x0.shape, generator=gen)
    for t, t_prev in sampler.pairs():
        x = sampler.step(x0, t, x, t_prev, noise=torch.randn(x0.shape, generator=gen))
    torch.testing.assert_close(x, x0)


def test_deterministic_ddim_step_keeps_the_noise_direction(schedule):
    # x_t = q(x0, eps, t) and a perfect x0 estimate: the step lands on q(x0, eps, t_prev) exactly
    gen = torch.Generator().manual_seed(1)
    x0, eps = torch.randn(2, 8, 5, generator=gen), torch.randn(2, 8, 5, generator=gen)
    sampler = DDIMSampler(schedule)
    x_t = schedule.add_noise(x0, eps, 700)
    torch.testing.assert_close(sampler.step(x0, 700, x_t, 300), schedule.add_noise(x0, eps, 300))


def _ddim_on_a_gaussian(schedule, mu, s, steps):
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(20000, dtype=torch.float64, generator=gen)
    sampler = DDIMSampler(schedule)
    sampler.set_timesteps(steps)
    for t, t_prev in sampler.pairs():
        a = float(schedule.abar(t))
        x0 = mu + math.sqrt(a) * s**2 / (a * s**2 + 1 - a) * (x - math.sqrt(a) * mu)  # E[x0 | x_t], exactly
        x = sampler.step(x0, t, x, t_prev)
    return x


def test_ddim_samples_a_gaussian_with_the_optimal_denoiser(schedule):
    # data ~ N(mu, s^2): deterministic DDIM maps N(0, 1) onto it, up to its first-order discretisation error
    mu, s = 1.5, 0.3
    coarse, fine = _ddim_on_a_gaussian(schedule, mu, s, 50), _ddim_on_a_gaussian(schedule, mu, s, 500)
    assert float(coarse.mean()) == pytest.approx(mu, abs=0.01)
    assert float(coarse.std()) == pytest.approx(s, rel=0.07)
    assert abs(float(fine.std()) - s) < abs(float(coarse.std()) - s)


def test_classifier_free_guidance_weights():
    cond, uncond = torch.tensor([2.0]), torch.tensor([1.0])
    assert classifier_free_guidance(cond, uncond, 1.0).item() == 2.0
    assert classifier_free_guidance(cond, uncond, 0.0).item() == 1.0
    assert classifier_free_guidance(cond, uncond, 3.0).item() == 4.0


def test_inpainting_imposes_noised_known_frames_and_exact_ones_at_the_end(schedule):
    gen = torch.Generator().manual_seed(3)
    head, tail = torch.randn(3, 4, generator=gen), torch.randn(2, 4, generator=gen)
    inpaint = Inpainting.frames((2, 10, 4), head, tail)
    x, noise = torch.randn(2, 10, 4, generator=gen), torch.randn(2, 10, 4, generator=gen)
    mid = inpaint.apply(x, 500, schedule, noise)
    torch.testing.assert_close(mid[:, :3], schedule.add_noise(head.expand(2, 3, 4), noise[:, :3], 500))
    torch.testing.assert_close(mid[:, 3:8], x[:, 3:8])
    end = inpaint.apply(x, CLEAN, schedule, noise)
    assert torch.equal(end[:, :3], head.expand(2, 3, 4)) and torch.equal(end[:, -2:], tail.expand(2, 2, 4))
    with pytest.raises(ValueError, match="overlap"):
        Inpainting.frames((1, 4, 4), head, tail)


def test_sampling_loop_with_inpainting_keeps_constrained_frames_exact(schedule):
    gen = torch.Generator().manual_seed(4)
    head = torch.randn(4, 6, generator=gen)
    inpaint = Inpainting.frames((3, 12, 6), head, None)
    sampler = DDIMSampler(schedule, eta=0.5)
    sampler.set_timesteps(8)
    x = torch.randn(3, 12, 6, generator=gen)
    for t, t_prev in sampler.pairs():
        x0 = 0.5 * x  # any "network"
        x = sampler.step(x0, t, x, t_prev, noise=torch.randn(x.shape, generator=gen))
        x = inpaint.apply(x, t_prev, schedule, torch.randn(x.shape, generator=gen))
    assert torch.equal(x[:, :4], head.expand(3, 4, 6))


def test_clean_inpainting_imposes_the_values_themselves_at_every_step(schedule):
    head = torch.randn(3, 4)
    inpaint = Inpainting.frames((2, 10, 4), head, None, noised=False)
    x, noise = torch.randn(2, 10, 4), torch.randn(2, 10, 4)
    out = inpaint.apply(x, 700, schedule, noise)
    assert torch.equal(out[:, :3], head.expand(2, 3, 4)) and torch.equal(out[:, 3:], x[:, 3:])
