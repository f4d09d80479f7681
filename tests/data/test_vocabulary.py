import pytest

from studio.data.procedural.genres import GENRES
from studio.data.procedural.hands import SHAPES, hand_rotations
from studio.data.procedural.vocabulary import check_move, moves_for


@pytest.mark.parametrize("name", GENRES)
def test_every_genre_has_a_vocabulary_of_sound_moves(name):
    moves = moves_for(name)
    assert len(moves) >= 8
    assert len({m.name for m in moves}) == len(moves)
    assert sum(m.role == "main" for m in moves) >= 6
    assert any(m.role == "accent" for m in moves) and any(m.role == "groove" for m in moves)
    for move in moves:
        assert check_move(name, move) == [], move.name
        hands = {k.hands for k in move.keys}
        assert len(hands) >= 2, f"{move.name}: the hands never change shape"


def test_hand_shapes_are_mirror_images():
    import numpy as np

    reflect = np.diag([-1.0, 1.0, 1.0])
    for shape in SHAPES:
        left, right = hand_rotations(shape, "left"), hand_rotations(shape, "right")
        assert np.allclose(reflect @ left @ reflect, right)
    assert not np.allclose(hand_rotations("fist", "left"), hand_rotations("flat", "left"))
