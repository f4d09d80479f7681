"""Denoiser, experts, refine net, FDGN composite, torch kinematics; official checkpoint loading."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.core import rotations
from studio.core.errors import ModelError
from studio.core.motion import Motion
from studio.core.skeleton import NUM_JOINTS, Skeleton
from studio.ml.fdgn import FDGN, FDGNConfig, body_config, hand_config, preset, whole_body_config
from studio.ml.kinematics import ForwardKinematics, rot6d_to_matrix
from studio.ml.nets.refine import RefineNet
from studio.ml.official import OFFICIAL_SIZES, convert_state_dict, load_into, load_official, official_config

from .official_keys import seq_model_shapes
from .reference_finedance import SeqModel

TINY_OFFICIAL_LAYOUT = dict(latent_dim=32, ff_size=48, num_layers=2, num_heads=4, cond_layers=2, seq_len=20)


def _tiny() -> FDGN:
    torch.manual_seed(0)
    return FDGN(preset("tiny")).eval()


@pytest.mark.parametrize("length", [90, 120, 150, 17])
def test_fdgn_denoises_any_segment_length(length):
    model = _tiny()
    x, music = torch.randn(2, length, 319), torch.randn(2, length, 35)
    with torch.no_grad():
        out = model(x, torch.tensor([3, 900]), music)
        dropped = model(x, torch.tensor([3, 900]), music, keep=torch.tensor([False, False]))
    assert out.shape == (2, length, 319) and torch.isfinite(out).all()
    assert dropped.shape == out.shape and not torch.allclose(out, dropped)


def test_dropping_the_condition_makes_the_output_ignore_the_music():
    model = _tiny()
    x = torch.randn(1, 30, 319)
    keep = torch.tensor([False])
    with torch.no_grad():
        a = model(x, torch.tensor([50]), torch.randn(1, 30, 35), keep=keep)
        b = model(x, torch.tensor([50]), torch.randn(1, 30, 35), keep=keep)
    torch.testing.assert_close(a, b)


def test_hand_expert_is_conditioned_on_the_body():
    model = _tiny()
    x, music, t = torch.randn(1, 24, 319), torch.randn(1, 24, 35), torch.tensor([10])
    y = x.clone()
    y[..., :139] += 1.0  # change only the noisy body part
    with torch.no_grad():
        _, parts_x = model(x, t, music, return_parts=True)
        _, parts_y = model(y, t, music, return_parts=True)
    assert not torch.allclose(parts_x[..., 139:], parts_y[..., 139:])


def test_hand_guidance_guides_the_hand_expert_alone():
    """``hand_guidance = w``: the body part is the plain conditional one; the hands are uncond + w (cond -
    uncond) of the hand expert, its unconditional pass seeing the same body estimate dropped with the music."""
    model = _tiny()
    x, music, t = torch.randn(2, 24, 319), torch.randn(2, 24, 35), torch.tensor([10, 700])
    with torch.no_grad():
        _, plain = model(x, t, music, return_parts=True)
        _, guided = model(x, t, music, return_parts=True, hand_guidance=3.0)
        body = model.body(x[..., :139], t, music)
        condition = type(model.hand).condition(body, music)
        cond = model.hand(x[..., 139:], t, condition)
        uncond = model.hand(x[..., 139:], t, condition, keep=torch.tensor([False, False]))
    torch.testing.assert_close(guided[..., :139], plain[..., :139])
    torch.testing.assert_close(plain[..., 139:], cond)
    torch.testing.assert_close(guided[..., 139:], uncond + 3.0 * (cond - uncond), atol=1e-5, rtol=1e-5)


def test_body_guidance_guides_the_body_expert_and_the_hands_see_the_guided_body():
    model = _tiny()
    x, music, t = torch.randn(2, 24, 319), torch.randn(2, 24, 35), torch.tensor([10, 700])
    with torch.no_grad():
        _, guided = model(x, t, music, return_parts=True, body_guidance=2.0, hand_guidance=3.0)
        cond = model.body(x[..., :139], t, music)
        uncond = model.body(x[..., :139], t, music, keep=torch.tensor([False, False]))
        body = uncond + 2.0 * (cond - uncond)
        condition = type(model.hand).condition(body, music)
        hand_cond = model.hand(x[..., 139:], t, condition)
        hand_uncond = model.hand(x[..., 139:], t, condition, keep=torch.tensor([False, False]))
    torch.testing.assert_close(guided[..., :139], body, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(guided[..., 139:], hand_uncond + 3.0 * (hand_cond - hand_uncond), atol=1e-5, rtol=1e-5)


def test_refine_net_starts_as_the_identity_and_its_gate_learns():
    refine = RefineNet(hidden=8)
    body, hands = torch.randn(2, 10, 139), torch.randn(2, 10, 180)
    torch.testing.assert_close(refine(body, hands), torch.cat((body, hands), -1))
    loss = (refine(body, hands) - 1).pow(2).mean()
    loss.backward()
    assert refine.gate.grad is not None and refine.gate.grad.abs().sum() > 0


def test_config_round_trips_through_a_dict():
    config = preset("small")
    assert FDGNConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown"):
        FDGNConfig.from_dict({**config.to_dict(), "bogus": 1})
    with pytest.raises(ValueError):
        FDGN(FDGNConfig(body_config(), body_config()))  # the hand expert needs 180-d hands


@pytest.mark.parametrize("name", ["small", "small-v2", "small-whole"])
def test_presets_round_trip_through_a_dict(name):
    config = preset(name)
    assert FDGNConfig.from_dict(config.to_dict()) == config


def test_one_whole_body_net_replaces_both_experts():
    """The ablation without a hand expert: one net denoises all 319 channels, the hands included."""
    sizes = dict(latent_dim=32, ff_size=64, num_layers=1, num_heads=2, cond_layers=1, seq_len=32, dropout=0.0)
    torch.manual_seed(0)
    model = FDGN(preset("tiny").replace(body=whole_body_config(**sizes), hand=None)).eval()
    assert model.hand is None
    x, music, t = torch.randn(1, 24, 319), torch.randn(1, 24, 35), torch.tensor([10])
    y = x.clone()
    y[..., 139:] += 1.0  # change only the noisy hands: the same net sees them with the body
    with torch.no_grad():
        out_x, out_y = model(x, t, music), model(y, t, music)
    assert out_x.shape == (1, 24, 319)
    assert not torch.allclose(out_x[..., :139], out_y[..., :139])
    with pytest.raises(ValueError, match="whole-body"):
        FDGN(preset("tiny").replace(hand=None))  # a 139-d body net cannot stand for the whole body


def test_frame_conditioning_ties_each_frame_to_its_own_music_frame():
    """With ``frame_cond`` a change of the music at one frame changes that frame's output most."""
    sizes = dict(latent_dim=32, ff_size=64, num_layers=1, num_heads=2, cond_layers=0, seq_len=32, dropout=0.0)
    torch.manual_seed(0)
    plain = FDGN(preset("tiny").replace(body=body_config(**sizes))).eval()
    torch.manual_seed(0)
    framed = FDGN(preset("tiny").replace(body=body_config(**sizes, frame_cond=True))).eval()
    assert framed.body.frame_projection is not None and plain.body.frame_projection is None
    x, music, t = torch.randn(1, 24, 319), torch.randn(1, 24, 35), torch.tensor([10])
    poked = music.clone()
    poked[0, 12] += 3.0
    with torch.no_grad():
        change = (framed(x, t, poked) - framed(x, t, music))[0, :, :139].abs().mean(-1)
    assert int(change.argmax()) == 12 and change[12] > 3 * change.median()


def test_official_size_config():
    config = official_config()
    for part in (config.body, config.hand):
        assert (part.latent_dim, part.ff_size, part.num_layers, part.num_heads) == (512, 1024, 8, 8)
    assert config.refine_hidden == 0 and config.window == 120 and config.body.seq_len == 120


def _official_state(shapes: dict, latent: int) -> dict[str, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    freqs = 1.0 / (10000 ** (torch.arange(0, latent, 2).float() / latent))
    return {k: freqs.clone() if k.endswith("rotary.freqs") else torch.randn(v, generator=gen) * 0.02
            for k, v in shapes.items()}  # fmt: skip


def test_an_official_sized_state_dict_loads_strictly():
    state = _official_state(seq_model_shapes(), OFFICIAL_SIZES["latent_dim"])
    checkpoint = {"ema_state_dict": {f"module.{k}": v for k, v in state.items()}, "model_state_dict": {}}
    model = FDGN(official_config())
    result = model.load_state_dict(convert_state_dict(checkpoint), strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    name = "seqTransDecoder.stack.7.film3.block.1.weight"
    assert torch.equal(model.hand.state_dict()[name], state[f"network.hand_net.{name}"])
    assert model.refine is None


def test_official_checkpoint_files_load_and_bad_ones_are_refused(tmp_path):
    sizes = {"d": 32, "ff": 48, "layers": 2, "seq_len": 20}
    state = _official_state(seq_model_shapes(**sizes), 32)
    config = FDGNConfig(body_config(**TINY_OFFICIAL_LAYOUT), hand_config(**TINY_OFFICIAL_LAYOUT), refine_hidden=0)
    torch.save({"ema_state_dict": state, "model_state_dict": state, "normalizer": None}, tmp_path / "train-2000.pt")
    loaded = load_official(tmp_path / "train-2000.pt", config=config)
    assert torch.equal(loaded.model.body.final_layer.bias, state["network.body_net.final_layer.bias"])
    assert loaded.normalizer.is_identity

    body = {k.removeprefix("network.body_net."): v for k, v in state.items() if k.startswith("network.body_net.")}
    hand = {k.removeprefix("network.hand_net."): v for k, v in state.items() if k.startswith("network.hand_net.")}
    torch.save(body, tmp_path / "body.pt")
    torch.save({"model_state_dict": hand}, tmp_path / "hand.pt")
    split = load_official(body=tmp_path / "body.pt", hand=tmp_path / "hand.pt", config=config)
    assert torch.equal(split.model.hand.null_cond_hidden, state["network.hand_net.null_cond_hidden"])

    del hand["final_layer.bias"]
    torch.save(hand, tmp_path / "hand.pt")
    with pytest.raises(ModelError, match="final_layer.bias"):
        load_official(body=tmp_path / "body.pt", hand=tmp_path / "hand.pt", config=config)
    (tmp_path / "junk.pt").write_text("not a checkpoint")
    with pytest.raises(ModelError, match="junk.pt"):
        load_official(tmp_path / "junk.pt", config=config)


def test_forward_pass_matches_the_published_architecture():
    torch.manual_seed(1)
    reference = SeqModel(seq_len=20, d=32, ff=48, layers=2, heads=4).eval()
    config = FDGNConfig(body_config(**TINY_OFFICIAL_LAYOUT), hand_config(**TINY_OFFICIAL_LAYOUT), refine_hidden=0)
    model = load_into(FDGN(config), convert_state_dict(reference.state_dict())).eval()
    x, music, t = torch.randn(3, 20, 319), torch.randn(3, 20, 35), torch.tensor([0, 420, 999])
    with torch.no_grad():
        for drop in (0.0, 1.0):
            expected = reference(x, music, t, cond_drop_prob=drop)
            got = model(x, t, music, keep=torch.full((3,), drop < 1))
            torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_torch_kinematics_match_the_core():
    rng = np.random.default_rng(0)
    skeleton = Skeleton(rng.normal(size=(NUM_JOINTS, 3)))
    motion = Motion(rng.normal(size=(5, 3)), rotations.random_rotations((5, NUM_JOINTS), rng))
    rot6d = torch.as_tensor(rotations.matrix_to_rot6d(motion.rotations))
    torch.testing.assert_close(rot6d_to_matrix(rot6d), torch.as_tensor(motion.rotations))
    fk = ForwardKinematics(skeleton).double()
    fk.offsets = fk.offsets.double()
    positions = fk(torch.as_tensor(motion.rotations), torch.as_tensor(motion.trans))
    np.testing.assert_allclose(positions.numpy(), motion.positions(skeleton), atol=1e-5)
