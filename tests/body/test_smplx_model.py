import numpy as np
import pytest

from studio.body.smplx_model import load_smplx_avatar
from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.core.skeleton import PARENTS

# SMPL-X's 55-joint parents: ours with jaw (22) and eyes (23, 24) children of the neck/head inserted.
_SMPLX_PARENTS = [*PARENTS[:22], 15, 15, 15] + [p if p < 22 else p + 3 for p in PARENTS[22:]]


def _fake_model(path, vertices=200):
    rng = np.random.default_rng(0)
    v = rng.normal(size=(vertices, 3))
    regressor = np.zeros((55, vertices))
    for j in range(55):
        regressor[j, j % vertices] = 1.0
    weights = rng.random((vertices, 55))
    weights /= weights.sum(axis=1, keepdims=True)
    kintree = np.array([[4294967295, *_SMPLX_PARENTS[1:]], list(range(55))], dtype=np.int64)
    faces = rng.integers(0, vertices, size=(50, 3))
    np.savez(path, v_template=v, J_regressor=regressor, weights=weights, kintree_table=kintree, f=faces)
    return v


def test_reads_smplx_npz(tmp_path):
    vertices = _fake_model(tmp_path / "SMPLX_NEUTRAL.npz")
    avatar = load_smplx_avatar(tmp_path)  # a folder works too
    assert avatar.skeleton.rest_positions.shape == (52, 3)
    assert np.allclose(avatar.skeleton.rest_positions[22], vertices[25])  # left_index1 = SMPL-X joint 25
    assert np.allclose(avatar.skin_weights.sum(axis=1), 1, atol=1e-6)
    posed = avatar.skin(Motion.rest(1, avatar.skeleton))
    assert np.allclose(posed[0], vertices)


def test_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match="no .npz"):
        load_smplx_avatar(tmp_path)
    np.savez(tmp_path / "broken.npz", v_template=np.zeros((3, 3)))
    with pytest.raises(InputError, match=r"broken.npz: expected SMPL-X model arrays, found missing keys"):
        load_smplx_avatar(tmp_path / "broken.npz")
    (tmp_path / "junk.npz").write_text("x")
    with pytest.raises(InputError, match="junk.npz"):
        load_smplx_avatar(tmp_path / "junk.npz")
