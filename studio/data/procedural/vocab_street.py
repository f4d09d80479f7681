"""Street and studio styles: Breaking, Popping, Locking, Hiphop, Urban, Jazz, Korean, Choreography."""

from __future__ import annotations

from studio.data.procedural.moves import Move, key, step
from studio.data.procedural.vocab_common import (
    CACTUS,
    DIAGONAL_UP,
    GUARD,
    HANG,
    PUNCH,
    ROUND_FRONT,
    ROUND_UP,
    SIDE,
    SIDE_HIGH,
    SIDE_LOW,
    UP,
    taps,
    turn_steps,
    walk,
)  # fmt: skip

BREAKING = (
    Move("toprock_cross", 4, (
        key(0, la=(-40, 70, 95), ra=(-50, 10, 60), twist=-15, h="fist"),
        key(1, la=(-50, 10, 60), ra=(-35, 75, 90), twist=18, level=0.15, hl="flat"),
        key(2, la=(-40, 70, 95), ra=(-50, 10, 60), twist=-15, hr="flat", hl="fist"),
        key(3, la=(-50, 10, 60), ra=(-30, 80, 70), twist=20, level=0.15, h="flat"),
    ), (step("R", 1, dx=0.24, dz=0.22), step("R", 2), step("L", 3, dx=-0.24, dz=0.22), step("L", 4))),
    Move("indian_step", 4, (
        key(0, arms=(-20, 40, 30), h="spread", lean=5),
        key(1, la=(-45, 60, 100), ra=(-30, 20, 40), twist=-20, level=0.16, h="fist"),
        key(2, arms=(-20, 40, 30), h="spread", lean=5),
        key(3, ra=(-45, 60, 100), la=(-30, 20, 40), twist=20, level=0.16, h="fist"),
    ), (step("R", 1, dx=0.05, dz=0.32, lift=0.22, point=30), step("R", 2),
        step("L", 3, dx=-0.05, dz=0.32, lift=0.22, point=30), step("L", 4))),
    Move("kick_out", 4, (
        key(0, level=0.24, la=SIDE, ra=(-60, 70, 80), h="flat", hr="fist", lean=20),
        key(1, level=0.26, la=(10, 0, 10), ra=(-60, 70, 80), bend=-12, turn=-30, hl="spread"),
        key(2, level=0.24, ra=SIDE, la=(-60, 70, 80), h="flat", hl="fist", lean=20),
        key(3, level=0.26, ra=(10, 0, 10), la=(-60, 70, 80), bend=12, turn=30, hr="spread"),
    ), (step("R", 1, dx=-0.28, lift=0.16), step("R", 2), step("L", 3, dx=0.28, lift=0.16), step("L", 4))),
    Move("salsa_rock", 4, (
        key(0, la=GUARD, ra=(-40, 30, 60), h="fist", twist=10),
        key(1, la=(-30, 20, 50), ra=GUARD, lean=0, twist=-20, level=0.12, hl="flat"),
        key(2, ra=GUARD, la=(-40, 30, 60), h="fist", twist=-10),
        key(3, ra=(-30, 20, 50), la=GUARD, lean=0, twist=20, level=0.12, hr="flat"),
    ), (step("R", 1, dx=-0.05, dz=-0.3), step("R", 2), step("L", 3, dx=0.05, dz=-0.3), step("L", 4))),
    Move("jerk_jab", 4, (
        key(0, la=PUNCH, ra=GUARD, h="fist", level=0.22, ease="hit"),
        key(1, la=GUARD, ra=PUNCH, level=0.08, ease="hit", h="fist"),
        key(2, la=(60, 30, 20), ra=GUARD, level=0.22, h="fist", hl="spread", ease="hit"),
        key(3, arms=GUARD, level=0.1, nod=10, h="fist"),
    ), taps((1, 3), lift=0.08)),
    Move("spin_turn", 4, (
        key(0, arms=GUARD, h="fist", lean=5),
        key(1, arms=(-40, 70, 120), h="fist", lean=5, level=0.12),
        key(2, arms=GUARD, h="fist", lean=5),
        key(3, la=SIDE_LOW, ra=GUARD, h="flat", lean=10, level=0.14),
    ), turn_steps(360, 0.5, 0.5, 6)),
    Move("swipe_drop", 4, (
        key(0, la=SIDE_HIGH, ra=SIDE_LOW, h="spread", twist=25, lean=8),
        key(1, la=(-60, 80, 40), ra=(10, 10, 20), twist=-25, h="flat", level=0.28, lean=25),
        key(2, arms=(-20, 40, 60), h="fist", level=0.3, lean=22, nod=15),
        key(3, la=(40, 30, 30), ra=(-50, 60, 100), h="fist", hl="spread", level=0.14, turn=30),
    ), (step("L", 1, dx=0.12, lift=0.1), step("L", 4))),
    Move("freeze", 2, (
        key(0, level=0.3, la=(70, 30, 20), ra=(-60, 65, 85), h="fist", lean=18, twist=20, ease="hit"),
        key(1, level=0.32, la=(75, 25, 10), ra=(-60, 65, 85), hl="spread", hr="fist", lean=20, twist=22, turn=35),
    ), role="accent"),
    Move("b_groove", 4, (
        key(0, l_shrug=15, arms=(-55, 30, 60), h="relaxed", nod=10),
        key(1, r_shrug=15, arms=(-55, 30, 60), h="fist", nod=0),
        key(2, l_shrug=15, arms=(-55, 30, 60), h="relaxed", nod=10),
        key(3, r_shrug=15, arms=(-50, 40, 70), h="fist", nod=0),
    ), taps((1, 2, 3, 4)), role="groove"),
)

POPPING = (
    Move("arm_wave", 4, (
        key(0, arms=SIDE, lw=(-45,), h="flat"),
        key(0.5, la=(0, 0, 45), lw=(30,), l_shrug=5),
        key(1, la=(5, 0, 10), l_shrug=22, lw=(0,), hl="knife"),
        key(1.5, la=SIDE, l_shrug=0, r_shrug=22, ra=(5, 0, 10)),
        key(2, ra=(0, 0, 45), r_shrug=5, rw=(30,), la=SIDE),
        key(2.5, ra=SIDE, rw=(-45,), la=SIDE, hr="flat"),
        key(3, arms=(-70, 20, 80), h="fist"),
    )),
    Move("tut_box", 4, (
        key(0, la=CACTUS, ra=(0, 85, 90), h="knife"),
        key(1, ra=CACTUS, la=(0, 85, 90), h="knife"),
        key(2, la=(-80, 15, 90), ra=CACTUS, hl="flat"),
        key(3, arms=(0, 45, 90, 45), h="knife"),
    ), taps((2, 4), lift=0.06)),
    Move("fresno", 4, (
        key(0, la=CACTUS, ra=HANG, h="fist", hl="knife"),
        key(1, la=HANG, ra=CACTUS, h="fist", hr="knife", bend=8),
        key(2, la=CACTUS, ra=HANG, h="fist", hl="knife"),
        key(3, la=HANG, ra=CACTUS, h="fist", hr="knife", bend=-8),
    ), (step("L", 1, dx=0.16), step("L", 2), step("R", 3, dx=-0.16), step("R", 4))),
    Move("dime_stop", 4, (
        key(0, arms=(-70, 30, 60), h="fist"),
        key(1, la=(-40, 40, 60), ra=(-70, 0, 30), h="fist"),
        key(2, la=(-10, 60, 90), ra=(-75, 0, 20), lean=-6, h="knife", hr="fist"),
        key(3, la=(-10, 60, 90), ra=(-75, 0, 20), lean=-6, turn=45, h="knife", hr="fist"),
    ), walk(1.0, 0.5, 2, 0.22)),
    Move("robot_turn", 4, (
        key(0, arms=(-70, 35, 90), h="knife", turn=40),
        key(1, arms=(-70, 35, 90), h="fist", turn=40, twist=22),
        key(2, arms=(-70, 35, 90), h="knife", turn=-40, twist=-22),
        key(3, la=(-70, 35, 90), ra=CACTUS, h="fist", turn=0),
    ), taps((1, 3), lift=0.06)),
    Move("chest_pop", 4, (
        key(0, lean=-10, arms=(-75, 25, 50), h="fist"),
        key(0.5, lean=6, arms=(-80, 15, 40), h="fist"),
        key(1, lean=-10, arms=(-75, 25, 50), h="claw"),
        key(1.5, lean=6, arms=(-80, 15, 40), h="claw"),
        key(2, lean=-10, arms=(-60, 40, 90), h="fist"),
        key(3, lean=4, arms=(-60, 40, 90), h="knife"),
    ), taps((1, 2, 3, 4), lift=0.05)),
    Move("point_hit", 4, (
        key(0, la=(40, 50, 0), ra=GUARD, hl="point", hr="fist", turn=20),
        key(1, ra=(40, 50, 0), la=GUARD, hr="point", hl="fist", turn=-20),
        key(2, la=(-30, 60, 0), ra=(-30, 60, 0), h="point", lean=12),
        key(3, arms=(-70, 20, 70), h="fist", lean=0),
    )),
    Move("twist_o_flex", 4, (
        key(0, arms=(-40, 40, 100), h="fist", twist=30, hip_yaw=-15),
        key(1, arms=(-40, 40, 100), h="knife", twist=-30, hip_yaw=15),
        key(2, la=CACTUS, ra=(-40, 40, 100), h="fist", twist=30, hip_yaw=-15),
        key(3, ra=CACTUS, la=(-40, 40, 100), h="knife", twist=0),
    ), (step("R", 1, turn=30), step("L", 2, turn=-30), step("R", 3), step("L", 4))),
    Move("pop_freeze", 2, (
        key(0, level=0.15, la=CACTUS, ra=(-30, 70, 100), lean=-10, h="knife", ease="hit"),
        key(1, level=0.16, la=CACTUS, ra=(-30, 70, 100), lean=-10, turn=50, hr="fist", ease="snap"),
    ), role="accent"),
    Move("pop_groove", 4, (
        key(0, level=0.09, arms=(-70, 25, 60), h="fist"),
        key(0.5, level=0.03, arms=(-72, 25, 55), h="knife"),
        key(1, level=0.09, arms=(-70, 25, 60), h="fist"),
        key(1.5, level=0.03, h="knife"),
        key(2, level=0.09, h="fist"),
        key(3, level=0.09, h="knife"),
    ), taps((1, 3)), role="groove"),
)

LOCKING = (
    Move("lock", 4, (
        key(0, arms=(60, 30, 30), h="flat", level=0.05),
        key(1, arms=(-40, 45, 130, 10), h="fist", level=0.22, lean=15, ease="hit"),
        key(2, arms=(20, 45, 20), h="spread", level=0.05),
        key(3, arms=(-40, 45, 130, 10), h="fist", level=0.22, lean=15, ease="hit"),
    )),
    Move("point", 4, (
        key(0, la=(30, 60, 0), ra=(-60, 20, 60), hl="point", hr="fist", turn=25),
        key(1, ra=(30, 60, 0), la=(-60, 20, 60), hr="point", hl="fist", turn=-25),
        key(2, arms=DIAGONAL_UP, h="point", nod=-10),
        key(3, arms=(-60, 20, 60), h="fist"),
    ), (step("L", 1, dx=0.1, dz=0.1), step("L", 2), step("R", 3, dx=-0.1, dz=0.1), step("R", 4))),
    Move("wrist_roll", 4, (
        key(0, arms=(-40, 70, 100), wrists=(40, 0, -40), h="relaxed"),
        key(0.5, arms=(-40, 70, 100), wrists=(-40, 0, 40), h="flat"),
        key(1, arms=(-35, 75, 95), wrists=(40, 0, -40), h="relaxed"),
        key(1.5, arms=(-35, 75, 95), wrists=(-40, 0, 40), h="flat"),
        key(2, arms=(-30, 60, 110), wrists=(40, 0, -40), h="point"),
        key(3, arms=(20, 40, 30), wrists=(-20,), h="point", lean=0),
    ), taps((2, 4))),
    Move("scooby_doo", 4, (
        key(0, la=(-30, 70, 95), ra=(-60, -10, 40), h="fist"),
        key(1, ra=(-30, 70, 95), la=(-60, -10, 40), h="fist", lean=12),
        key(2, la=(-30, 70, 95), ra=(-60, -10, 40), h="flat"),
        key(3, ra=(-30, 70, 95), la=(-60, -10, 40), h="flat", lean=12),
    ), (step("R", 1, lift=0.3, dur=0.6), step("L", 2, lift=0.3, dur=0.6), step("R", 3, lift=0.3, dur=0.6),
        step("L", 4, lift=0.3, dur=0.6))),
    Move("stop_and_go", 4, (
        key(0, arms=(0, 15, 15, 85), h="spread", lean=-5, ease="hit"),
        key(1, arms=(0, 15, 15, 85), h="spread", lean=-5, nod=-10),
        key(2, arms=(-60, 75, 40), h="fist", level=0.18, lean=20, ease="hit"),
        key(3, arms=(0, 15, 15, 85), h="flat", lean=-5),
    )),
    Move("pace", 4, (
        key(0, la=(-40, 70, 60), ra=(-60, -20, 30), h="fist"),
        key(1, ra=(-40, 70, 60), la=(-60, -20, 30), h="fist"),
        key(2, la=(-40, 70, 60), ra=(-60, -20, 30), h="flat"),
        key(3, ra=(-40, 70, 60), la=(-60, -20, 30), h="point"),
    ), walk(0.5, 0.5, 3, 0.2)),
    Move("give_five", 4, (
        key(0, arms=(-25, 85, 45), h="flat", lean=10),
        key(1, arms=(15, 25, 20), h="point"),
        key(2, arms=(-25, 85, 45), h="flat", lean=10),
        key(3, arms=(25, 25, 20, 60), h="spread", nod=-10),
    ), taps((1, 3), lift=0.1)),
    Move("uncle_sam", 4, (
        key(0, la=(20, 70, 0), ra=(-60, 20, 90), hl="point", hr="fist", lean=10, level=0.12, ease="hit"),
        key(1, la=(20, 70, 0), ra=(-60, 20, 90), hl="point", hr="fist", lean=10, level=0.14),
        key(2, ra=(20, 70, 0), la=(-60, 20, 90), hr="point", hl="fist", lean=10, level=0.12, ease="hit"),
        key(3, la=(80, 20, 0), ra=(-60, 20, 90), hl="point", hr="flat", lean=0),
    )),
    Move("lock_drop", 2, (
        key(0, level=0.28, arms=(-30, 40, 115), lean=20, h="fist", ease="hit"),
        key(1, level=0.3, arms=(-30, 40, 115), lean=20, turn=35, h="fist", hl="point", ease="snap"),
    ), role="accent"),
    Move("lock_groove", 4, (
        key(0, arms=(-60, 30, 60), h="fist", level=0.04),
        key(1, arms=(-50, 40, 80), h="point", level=0.1),
        key(2, arms=(-60, 30, 60), h="fist", level=0.04),
        key(3, arms=(-50, 40, 80), h="flat", level=0.1),
    ), taps((1, 2, 3, 4)), role="groove"),
)

HIPHOP = (
    Move("bounce_groove", 4, (
        key(0, l_shrug=14, nod=12, arms=(-70, 25, 50), h="relaxed"),
        key(1, r_shrug=14, nod=0, arms=(-70, 25, 50), h="fist"),
        key(2, l_shrug=14, nod=12, arms=(-65, 30, 60), h="relaxed"),
        key(3, r_shrug=14, nod=0, arms=(-65, 30, 60), h="flat"),
    ), taps((1, 2, 3, 4)), role="groove"),
    Move("cabbage_patch", 4, (
        key(0, arms=(-30, 70, 110), h="fist", twist=15, sway=0.05),
        key(1, arms=(-10, 60, 100), h="fist", twist=0, sway=0.0, lean=10),
        key(2, arms=(-40, 50, 110), h="fist", twist=-15, sway=-0.05),
        key(3, arms=(-20, 75, 100), h="relaxed", twist=0, lean=20),
    ), taps((2, 4), lift=0.07)),
    Move("wop", 4, (
        key(0, bend=16, sway=-0.05, arms=(-60, 30, 60), h="relaxed"),
        key(1, bend=-16, sway=0.05, arms=(-60, 30, 60), h="flat"),
        key(2, bend=16, sway=-0.05, la=(-20, 40, 40), h="relaxed"),
        key(3, bend=-16, sway=0.05, ra=(-20, 40, 40), h="flat"),
    ), (step("L", 1, dx=0.08), step("L", 2), step("R", 3, dx=-0.08), step("R", 4))),
    Move("reject", 4, (
        key(0, arms=(-20, 30, 40), h="relaxed"),
        key(1, arms=(-50, 50, 80), h="fist", twist=20, level=0.16),
        key(2, arms=(-20, 30, 40), h="flat"),
        key(3, arms=(-50, 50, 80), h="fist", twist=-20, level=0.16),
    ), (step("R", 1, dx=0.2, dz=0.22), step("R", 2), step("L", 3, dx=-0.2, dz=0.22), step("L", 4))),
    Move("shoulder_lean", 4, (
        key(0, bend=12, la=(-40, 40, 90), ra=(-70, 20, 40), hl="two", hr="relaxed", turn=20),
        key(1, bend=-12, ra=(-40, 40, 90), la=(-70, 20, 40), hr="two", hl="relaxed", turn=-20),
        key(2, bend=12, la=(-40, 40, 90), ra=(-70, 20, 40), hl="two", hr="relaxed", turn=20),
        key(3, bend=0, arms=(-70, 25, 50), h="fist"),
    ), taps((1, 3), lift=0.07)),
    Move("side_step_clap", 4, (
        key(0, arms=(-60, 30, 50), h="relaxed"),
        key(1, arms=(-25, 88, 50), h="flat", lean=10),
        key(2, arms=(-60, 30, 50), h="relaxed"),
        key(3, arms=(-25, 88, 50), h="flat", lean=10),
    ), (step("L", 1, dx=0.22), step("R", 2, dx=0.22), step("L", 3, dx=0.44), step("R", 4, dx=0.44))),
    Move("dougie", 4, (
        key(0, la=(35, 40, 100, 20), ra=(-70, 20, 40), lean=-5, h="relaxed", sway=0.05),
        key(1, ra=(35, 40, 100, 20), la=(-70, 20, 40), lean=-5, h="relaxed", sway=-0.05),
        key(2, la=(35, 40, 100, 20), ra=(-70, 20, 40), lean=-5, h="flat", sway=0.05),
        key(3, arms=(-60, 30, 60), h="fist", sway=0.0),
    ), taps((1, 2, 3, 4), lift=0.07)),
    Move("kriss_kross", 4, (
        key(0, arms=(-60, 40, 70), h="fist"),
        key(1, arms=(-40, 50, 80), h="relaxed", level=0.18),
        key(2, arms=(-60, 40, 70), h="fist"),
        key(3, arms=(-40, 50, 80), h="spread", level=0.18),
    ), (step("LR", 1, dz=0.15, lift=0.1), step("LR", 2, lift=0.1), step("LR", 3, dz=0.15, lift=0.1),
        step("LR", 4, lift=0.1))),
    Move("hiphop_pose", 2, (
        key(0, la=(-45, 70, 10), ra=(-60, 20, 90), hl="point", hr="fist", lean=22, level=0.2, ease="hit"),
        key(1, la=(-45, 70, 10), ra=(-60, 20, 90), hl="point", hr="spread", lean=24, level=0.22, turn=-30),
    ), role="accent"),
)

URBAN = (
    Move("hit_combo", 4, (
        key(0, la=(45, 40, 0), ra=(-60, 10, 40), hl="point", hr="fist", ease="hit"),
        key(1, ra=(45, 40, 0), la=(-60, 10, 40), hr="point", hl="fist", ease="hit"),
        key(2, arms=CACTUS, h="fist", ease="hit"),
        key(3, arms=(-30, 90, 100, 30), h="spread", ease="hit"),
    ), taps((1, 3), lift=0.07)),
    Move("body_roll", 4, (
        key(0, lean=-12, hip_pitch=-10, arms=(-70, 30, 50), h="relaxed"),
        key(1, lean=18, hip_pitch=0, nod=10, level=0.14, h="flat"),
        key(2, lean=0, hip_pitch=15, level=0.12, arms=(-60, 40, 70), h="relaxed"),
        key(3, lean=-10, hip_pitch=-10, arms=(-30, 30, 90), h="spread"),
    ), ()),
    Move("slide_step", 4, (
        key(0, arms=(-50, 30, 50), h="relaxed", bend=-10),
        key(1, la=SIDE, ra=(-50, 50, 90), h="flat", bend=10),
        key(2, arms=(-50, 30, 50), h="fist", bend=0),
        key(3, ra=SIDE, la=(-50, 50, 90), h="flat", bend=-10),
    ), (step("L", 1, dx=0.3), step("R", 2, dx=0.3, lift=0.08), step("R", 3), step("L", 4))),
    Move("arm_slice", 4, (
        key(0, la=SIDE, ra=(-60, 20, 60), h="knife", twist=20, ease="hit"),
        key(1, la=(0, 100, 0), ra=(-60, 20, 60), h="knife", twist=-20, ease="hit"),
        key(2, ra=SIDE, la=(-60, 20, 60), h="knife", twist=-20, ease="hit"),
        key(3, ra=(0, 100, 0), la=(-60, 20, 60), h="fist", twist=20, ease="hit"),
    ), taps((2, 4))),
    Move("pop_walk", 4, (
        key(0, lean=-8, arms=(-60, 30, 60), h="fist"),
        key(1, lean=6, arms=(-70, 20, 40), h="relaxed"),
        key(2, lean=-8, arms=(-60, 30, 60), h="fist"),
        key(3, lean=6, arms=(-40, 50, 80), h="spread"),
    ), walk(1.0, 0.5, 3, 0.15)),
    Move("floor_point", 4, (
        key(0, level=0.3, la=(-55, 60, 10), ra=(-50, 20, 80), hl="point", hr="fist", lean=28, ease="hit"),
        key(1, level=0.3, la=(-55, 60, 10), ra=(-50, 20, 80), hl="point", hr="fist", lean=28, turn=30),
        key(2, level=0.12, arms=(-60, 30, 60), h="relaxed"),
        key(3, ra=(75, 25, 0), la=(-60, 30, 60), hr="point", hl="fist", nod=-15, ease="hit"),
    )),
    Move("turn_hit", 4, (
        key(0, arms=(-50, 40, 90), h="fist"),
        key(1, arms=(-50, 40, 90), h="relaxed"),
        key(2, arms=CACTUS, h="fist", ease="hit"),
        key(3, la=(40, 45, 0), ra=(-70, 10, 30), hl="spread", hr="fist", ease="hit"),
    ), turn_steps(180, 0.5, 0.5, 2)),
    Move("groove_rock", 4, (
        key(0, hip_pitch=10, lean=5, arms=(-65, 25, 50), h="relaxed"),
        key(1, hip_pitch=-10, lean=18, arms=(-60, 30, 60), h="fist", nod=10),
        key(2, hip_pitch=10, lean=5, arms=(-65, 25, 50), h="relaxed"),
        key(3, hip_pitch=-10, lean=18, arms=(-60, 30, 60), h="flat", nod=10),
    ), taps((1, 2, 3, 4)), role="groove"),
    Move("urban_freeze", 2, (
        key(0, level=0.22, la=(40, 45, 0), ra=GUARD, hl="spread", hr="fist", lean=15, twist=-20, ease="hit"),
        key(1, level=0.24, la=(40, 45, 0), ra=GUARD, hl="claw", hr="fist", lean=15, twist=-22, turn=-40),
    ), role="accent"),
)

JAZZ = (
    Move("jazz_square", 4, (
        key(0, arms=(0, 15, 10, 85), h="spread"),
        key(1, arms=(-20, 20, 20, 85), h="spread", twist=15),
        key(2, arms=(0, 15, 10, 85), h="fist", twist=0),
        key(3, arms=(-30, 25, 30, 85), h="spread", twist=-15),
    ), (step("R", 1, dx=0.22, dz=0.18), step("L", 2, dz=-0.12), step("R", 3), step("L", 4))),
    Move("kick_ball_change", 4, (
        key(0, arms=SIDE, h="spread", lean=-5),
        key(1, arms=SIDE_HIGH, h="spread", lean=-8, nod=-10),
        key(2, arms=SIDE, h="fist"),
        key(3, arms=SIDE_HIGH, h="spread", lean=-8),
    ), (step("R", 1, lift=0.42, point=60, dur=0.8), step("R", 1.5, dz=-0.1, dur=0.3), step("L", 2, dur=0.4),
        step("L", 3, lift=0.42, point=60, dur=0.8), step("L", 3.5, dz=-0.1, dur=0.3), step("R", 4, dz=-0.1, dur=0.4))),
    Move("chasse", 4, (
        key(0, la=SIDE, ra=SIDE_LOW, h="spread", bend=-8),
        key(1, la=SIDE_HIGH, ra=SIDE, h="spread", bend=-12),
        key(2, la=SIDE, ra=SIDE_LOW, h="fist", bend=-8),
        key(3, la=(60, 20, 10), ra=SIDE_LOW, h="spread", bend=-15),
    ), (step("L", 1, dx=0.25), step("R", 1.5, dx=0.25, dur=0.4), step("L", 2, dx=0.5, dur=0.4),
        step("R", 3, dx=0.5))),
    Move("jazz_reach", 4, (
        key(0, arms=(40, 30, 0), h="spread", lean=-10, nod=-10),
        key(1, arms=(-30, 80, 25), h="fist", lean=25, level=0.16),
        key(2, la=UP, ra=(-30, 30, 20), hl="spread", hr="flat", lean=0),
        key(3, arms=UP, h="spread", lean=-8),
    ), ()),
    Move("pirouette", 4, (
        key(0, arms=ROUND_FRONT, h="flat"),
        key(1, arms=ROUND_FRONT, h="relaxed", nod=-5),
        key(2, arms=ROUND_FRONT, h="flat"),
        key(3, la=SIDE_HIGH, ra=SIDE, h="fist", lean=-5),
    ), turn_steps(360, 0.5, 0.5, 4)),
    Move("fan_kick", 4, (
        key(0, arms=SIDE, h="spread"),
        key(1, arms=SIDE_HIGH, h="fist", lean=-10),
        key(2, arms=SIDE, h="spread"),
        key(3, arms=(-30, 20, 20, 85), h="spread", level=0.1),
    ), (step("R", 2, dx=-0.05, lift=0.58, point=65, dur=1.2), step("R", 3, dz=0.0, dur=0.5))),
    Move("hip_isolation", 4, (
        key(0, hip_roll=12, sway=0.05, arms=(-40, 20, 20, 85), h="spread"),
        key(1, hip_roll=-12, sway=-0.05, arms=(-40, 20, 20, 85), h="fist"),
        key(2, hip_roll=12, sway=0.05, la=(40, 30, 10), h="spread"),
        key(3, hip_roll=-12, sway=-0.05, ra=(40, 30, 10), h="spread"),
    ), taps((1.5, 3.5), lift=0.06)),
    Move("layout", 4, (
        key(0, arms=SIDE, h="flat", lean=0),
        key(1, arms=UP, h="spread", lean=-20, nod=-20),
        key(2, arms=(60, 30, 10), h="spread", lean=-22, nod=-25),
        key(3, arms=(-40, 30, 20), h="fist", lean=10),
    ), (step("R", 1, dz=-0.2), step("L", 3, dz=-0.2))),
    Move("jazz_pose", 2, (
        key(0, la=(60, 30, 0), ra=(-40, 10, 10), h="spread", hip_roll=10, sway=0.06, tilt=12, ease="hit"),
        key(1, la=(62, 30, 0), ra=(-40, 10, 10), hl="spread", hr="flat", hip_roll=12, sway=0.07, tilt=15, turn=30),
    ), role="accent"),
    Move("jazz_walk", 4, (
        key(0, la=(-40, 60, 40), ra=(-50, -20, 20), h="spread"),
        key(1, ra=(-40, 60, 40), la=(-50, -20, 20), h="fist"),
        key(2, la=(-40, 60, 40), ra=(-50, -20, 20), h="spread"),
        key(3, ra=(-40, 60, 40), la=(-50, -20, 20), h="fist"),
    ), walk(1.0, 1.0, 3, 0.2), role="groove"),
)

KOREAN = (
    Move("finger_heart", 4, (
        key(0, ra=(-15, 60, 105, 60), la=(-70, 20, 40), hr="heart", hl="flat", tilt=6),
        key(1, arms=(60, 50, 70, 30), h="heart", nod=-5),
        key(2, arms=(0, 80, 0), h="point", lean=5),
        key(3, arms=(-70, 25, 40), h="flat", sway=0.05, hip_roll=8),
    ), taps((1, 2, 3, 4), lift=0.06)),
    Move("point_dance", 4, (
        key(0, la=(40, 40, 0), ra=(-60, 30, 70), hl="point", hr="fist", sway=0.04, ease="hit"),
        key(1, ra=(40, 40, 0), la=(-60, 30, 70), hr="point", hl="fist", sway=-0.04, ease="hit"),
        key(2, la=(-40, 60, 0), ra=(-60, 30, 70), hl="point", hr="fist", sway=0.04, ease="hit"),
        key(3, ra=(-40, 60, 0), la=(-60, 30, 70), hr="point", hl="fist", sway=-0.04, ease="hit"),
    ), (step("L", 1, dx=0.1), step("L", 2), step("R", 3, dx=-0.1), step("R", 4))),
    Move("arm_wave_up", 4, (
        key(0, la=(80, 25, 10), ra=(60, 40, 60), h="flat", bend=-6),
        key(0.5, ra=(80, 25, 10), la=(60, 40, 60), h="flat", bend=6),
        key(1, la=(80, 25, 10), ra=(60, 40, 60), h="spread", bend=-6),
        key(1.5, ra=(80, 25, 10), la=(60, 40, 60), h="spread", bend=6),
        key(2, arms=(45, 30, 20), h="flat"),
        key(3, arms=(-60, 20, 50), h="fist"),
    ), taps((1, 2, 3, 4))),
    Move("step_touch_clap", 4, (
        key(0, arms=(-60, 30, 50), h="flat"),
        key(1, arms=(-20, 88, 50), h="flat", ease="hit"),
        key(2, arms=(-60, 30, 50), h="fist"),
        key(3, arms=(-20, 88, 50), h="flat", ease="hit"),
    ), (step("L", 1, dx=0.18), step("R", 2, dx=0.18, lift=0.06), step("R", 3), step("L", 4))),
    Move("body_wave", 4, (
        key(0, lean=-10, hip_pitch=-5, arms=(-60, 30, 40), h="flat"),
        key(1, lean=15, hip_pitch=5, nod=10, h="relaxed", ease="flow"),
        key(2, lean=0, hip_pitch=15, level=0.1, h="flat", ease="flow"),
        key(3, lean=-8, arms=(50, 20, 20), h="spread"),
    )),
    Move("hip_sway_walk", 4, (
        key(0, sway=0.05, hip_roll=10, la=(-40, 60, 60), ra=(-70, -10, 30), h="flat"),
        key(1, sway=-0.05, hip_roll=-10, ra=(-40, 60, 60), la=(-70, -10, 30), h="flat"),
        key(2, sway=0.05, hip_roll=10, la=(-40, 60, 60), ra=(-70, -10, 30), h="point"),
        key(3, sway=-0.05, hip_roll=-10, ra=(-40, 60, 60), la=(-70, -10, 30), h="fist"),
    ), walk(1.0, 1.0, 3, 0.18)),
    Move("v_sign", 4, (
        key(0, ra=(-10, 50, 105, 60), la=(-60, 20, 60), hr="two", hl="fist", tilt=12, ease="hit"),
        key(1, ra=(-10, 50, 105, 60), la=(-60, 20, 60), hr="two", hl="fist", tilt=-8),
        key(2, la=(-10, 50, 105, 60), ra=(-60, 20, 60), hl="two", hr="fist", tilt=-12, ease="hit"),
        key(3, arms=(30, 40, 20), h="spread"),
    ), taps((1, 3))),
    Move("shoulder_dance", 4, (
        key(0, l_shrug=16, arms=(-65, 25, 60), h="fist", sway=0.03),
        key(0.5, r_shrug=16, h="fist", sway=-0.03),
        key(1, l_shrug=16, h="flat", sway=0.03),
        key(1.5, r_shrug=16, h="flat", sway=-0.03),
        key(2, arms=(-50, 40, 80), h="point"),
        key(3, arms=(-65, 25, 60), h="fist"),
    ), taps((1, 2, 3, 4)), role="groove"),
    Move("kpop_end", 2, (
        key(0, la=ROUND_UP, ra=(-55, 20, 85), hl="heart", hr="fist", sway=0.05, hip_roll=10, ease="hit"),
        key(1, la=ROUND_UP, ra=(-55, 20, 85), hl="heart", hr="flat", sway=0.06, hip_roll=12, tilt=-8),
    ), role="accent"),
)

CHOREOGRAPHY = (
    Move("contraction", 4, (
        key(0, lean=30, arms=(-10, 80, 60), h="fist", nod=20, level=0.12),
        key(1, lean=-10, arms=(10, 10, 0), h="spread", nod=-15, level=0.04),
        key(2, lean=30, arms=(-10, 80, 60), h="claw", nod=20, level=0.12),
        key(3, lean=-5, la=UP, ra=(10, 10, 0), h="flat", nod=-10),
    )),
    Move("reach_lunge", 4, (
        key(0, arms=(-50, 40, 30), h="relaxed"),
        key(1, la=(40, 80, 0), ra=(-30, -20, 10), h="flat", level=0.2, lean=15),
        key(2, la=(50, 70, 0), ra=(-20, -25, 10), h="spread", level=0.22, lean=18),
        key(3, arms=(-50, 40, 30), h="fist", level=0.06),
    ), (step("R", 1, dz=0.42, dx=-0.04), step("R", 3))),
    Move("sweep_turn", 4, (
        key(0, arms=SIDE_LOW, h="flat"),
        key(1, arms=SIDE, h="spread", lean=-5),
        key(2, arms=SIDE_HIGH, h="flat", lean=-8),
        key(3, arms=(-60, 50, 40), h="fist", lean=10, level=0.12),
    ), turn_steps(360, 0.5, 0.5, 6)),
    Move("spiral", 4, (
        key(0, twist=40, bend=15, la=(40, 10, 30), ra=(-50, 80, 90), h="flat"),
        key(1, twist=0, bend=0, arms=(-20, 60, 40), h="claw", level=0.15),
        key(2, twist=-40, bend=-15, ra=(40, 10, 30), la=(-50, 80, 90), h="flat"),
        key(3, arms=(20, 20, 10), h="spread", level=0.05),
    ), ()),
    Move("developpe", 4, (
        key(0, arms=SIDE_LOW, h="relaxed"),
        key(1, arms=SIDE, h="flat", lean=-5),
        key(2, la=SIDE_HIGH, ra=SIDE, h="spread", lean=-8),
        key(3, arms=(-40, 50, 40), h="fist"),
    ), (step("L", 3, dz=0.1, lift=0.45, point=55, dur=2.0), step("L", 4, dur=0.6))),
    Move("swing", 4, (
        key(0, arms=(60, 30, 0), h="flat", level=0.04),
        key(1, arms=(-80, 60, 10), h="fist", level=0.25, lean=30),
        key(2, arms=(60, 30, 0), h="spread", level=0.04, lean=-5),
        key(3, arms=(-80, 60, 10), h="relaxed", level=0.25, lean=30),
    ), ()),
    Move("tilt", 4, (
        key(0, bend=-20, la=(65, 20, 30), ra=(-50, 10, 20), h="spread"),
        key(1, bend=-20, la=(65, 20, 30), ra=(-50, 10, 20), h="flat", nod=-10),
        key(2, bend=20, ra=(65, 20, 30), la=(-50, 10, 20), h="spread"),
        key(3, bend=0, arms=(-30, 40, 30), h="fist"),
    ), (step("L", 1, dx=0.15), step("L", 4))),
    Move("fall_recover", 4, (
        key(0, lean=0, arms=(-50, 30, 20), h="flat"),
        key(1, lean=35, level=0.25, arms=(-35, 85, 10), h="claw", nod=20),
        key(2, lean=20, level=0.2, arms=(-40, 70, 30), h="flat"),
        key(3, lean=-8, level=0.04, arms=(50, 20, 10), h="spread"),
    ), (step("R", 1, dz=0.3), step("R", 3))),
    Move("arabesque", 2, (
        key(0, la=(30, 70, 0), ra=(10, -10, 0), h="flat", lean=12, ease="hit"),
        key(1, la=(35, 70, 0), ra=(12, -10, 0), h="spread", lean=15),
    ), (step("R", 2, dz=-0.05, lift=0.35, point=50, dur=1.6),), role="accent"),
    Move("breath_groove", 4, (
        key(0, arms=(-60, 30, 25), h="relaxed", lean=5),
        key(1, arms=(-40, 40, 30), h="fist", lean=-3, nod=-5),
        key(2, arms=(-60, 30, 25), h="relaxed", lean=5),
        key(3, arms=(-40, 40, 30), h="spread", lean=-3),
    ), taps((2, 4)), role="groove"),
)

VOCABULARY = {
    "Breaking": BREAKING, "Popping": POPPING, "Locking": LOCKING, "Hiphop": HIPHOP, "Urban": URBAN,
    "Jazz": JAZZ, "Korean": KOREAN, "Choreography": CHOREOGRAPHY,
}  # fmt: skip
