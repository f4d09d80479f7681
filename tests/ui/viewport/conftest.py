from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def avatar():
    from studio.body.provider import load_avatar

    return load_avatar()


@pytest.fixture(scope="session")
def dance(avatar):
    """A 4-s demo dance at x = -0.5 (everything moves: knees, arms, head, fingers)."""
    from studio.ui.viewport.demo import demo_dance

    return demo_dance(avatar, seconds=4.0, x=-0.5, facing=10.0)


@pytest.fixture(scope="session")
def partner(avatar):
    from studio.ui.viewport.demo import demo_dance

    return demo_dance(avatar, seconds=4.0, x=0.6, phase=1.5, facing=-10.0)
