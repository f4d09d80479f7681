"""Folk styles: Dai (peacock dance), Uighur, Miao.

Dai: knees bent and bouncing on every count, the three-bend posture (hip out, torso and head tilted the
other way), angular arms with wrists bent hard back, the peacock hand (thumb on the index, the other
fingers fanned) as the bird's head. Uighur: upright and proud, chin up, head slides, wrist circles,
claps, snaps and fast turns. Miao: lusheng steps with bouncing knees, low arm swings, stamps.
"""

from __future__ import annotations

from studio.data.procedural.moves import Move, key, step
from studio.data.procedural.vocab_common import taps, turn_steps, walk

HOOK = (50,)  # wrist flexed: the peacock's head looking down
FAN = (-60,)  # wrist bent back: the tail / wing

DAI = (
    Move("peacock_head", 4, (
        key(0, ra=(62, 40, 55), rw=HOOK, hr="peacock", la=(0, -10, 20), lw=FAN, hl="flat", turn=-20),
        key(1, ra=(64, 40, 50), rw=(30,), hr="peacock", la=(5, -10, 20), lw=FAN, hl="spread", turn=-25),
        key(2, la=(62, 40, 55), lw=HOOK, hl="peacock", ra=(0, -10, 20), rw=FAN, hr="flat", turn=20),
        key(3, la=(64, 40, 50), lw=(30,), hl="peacock", ra=(5, -10, 20), rw=FAN, hr="spread", turn=25),
    ), taps((1, 2, 3, 4), lift=0.07)),
    Move("bounce_steps", 4, (
        key(0, arms=(0, 10, 90), wrists=FAN, h="peacock", sway=0.05),
        key(1, arms=(-10, 15, 90), wrists=FAN, h="claw", sway=-0.05),
        key(2, arms=(0, 10, 90), wrists=FAN, h="peacock", sway=0.05),
        key(3, arms=(-10, 15, 90), wrists=FAN, h="orchid", sway=-0.05),
    ), walk(1.0, 1.0, 3, 0.1, lift=0.09)),
    Move("wings", 4, (
        key(0, arms=(10, 0, 20), wrists=FAN, h="flat", lean=10),
        key(1, arms=(-30, 0, 30), wrists=(-30,), h="claw", lean=18, level=0.2),
        key(2, arms=(15, -5, 20), wrists=FAN, h="flat", lean=10),
        key(3, arms=(-30, 0, 30), wrists=(-30,), h="peacock", lean=18, level=0.2),
    ), taps((2, 4), lift=0.07)),
    Move("drink_water", 4, (
        key(0, ra=(-25, 75, 40), rw=HOOK, hr="peacock", la=(10, -10, 20), lw=FAN, hl="flat", lean=30,
            level=0.2, nod=20),
        key(1, ra=(-30, 78, 35), rw=(60,), hr="peacock", la=(10, -10, 20), lw=FAN, hl="claw", lean=32,
            level=0.21, nod=25),
        key(2, ra=(-25, 75, 40), rw=HOOK, hr="peacock", la=(10, -10, 20), lw=FAN, hl="flat", lean=30,
            level=0.2, nod=20),
        key(3, arms=(0, 10, 90), wrists=FAN, h="peacock", lean=0, level=0.14),
    ), (step("R", 1, dz=0.18, lift=0.07), step("R", 3, lift=0.07))),
    Move("three_bend", 4, (
        key(0, sway=0.09, bend=-16, tilt=16, la=(10, 10, 90), ra=(-30, 30, 80), wrists=FAN, h="peacock"),
        key(1, sway=0.1, bend=-18, tilt=18, la=(15, 10, 90), ra=(-30, 30, 80), wrists=FAN, h="claw"),
        key(2, sway=-0.09, bend=16, tilt=-16, ra=(10, 10, 90), la=(-30, 30, 80), wrists=FAN, h="peacock"),
        key(3, sway=-0.1, bend=18, tilt=-18, ra=(15, 10, 90), la=(-30, 30, 80), wrists=FAN, h="orchid"),
    ), taps((1, 2, 3, 4), lift=0.06)),
    Move("side_sway_step", 4, (
        key(0, arms=(0, 20, 90), wrists=FAN, h="peacock", bend=-10, sway=0.06),
        key(1, arms=(0, 20, 90), wrists=FAN, h="flat", bend=-12, sway=0.07),
        key(2, arms=(0, 20, 90), wrists=FAN, h="peacock", bend=10, sway=-0.06),
        key(3, arms=(0, 20, 90), wrists=FAN, h="claw", bend=12, sway=-0.07),
    ), (step("L", 1, dx=0.15), step("R", 2, dx=0.15, lift=0.07), step("R", 3), step("L", 4))),
    Move("turn_flap", 4, (
        key(0, arms=(10, 0, 20), wrists=FAN, h="flat"),
        key(1, arms=(-25, 0, 30), wrists=(-30,), h="peacock", level=0.18),
        key(2, arms=(10, 0, 20), wrists=FAN, h="claw"),
        key(3, arms=(0, 10, 90), wrists=FAN, h="peacock"),
    ), turn_steps(360, 1.0, 0.5, 4)),
    Move("peacock_pose", 2, (
        key(0, ra=(75, 40, 60), rw=HOOK, hr="peacock", la=(0, -15, 20), lw=FAN, hl="spread", sway=0.08,
            bend=-15, tilt=15, level=0.2),
        key(1, ra=(75, 40, 60), rw=(70,), hr="peacock", la=(0, -15, 20), lw=FAN, hl="claw", sway=0.09,
            bend=-16, tilt=18, level=0.22, turn=-25, ease="snap"),
    ), role="accent"),
    Move("dai_groove", 4, (
        key(0, arms=(0, 10, 90), wrists=FAN, h="peacock"),
        key(1, arms=(-5, 15, 90), wrists=(-40,), h="claw"),
        key(2, arms=(0, 10, 90), wrists=FAN, h="peacock"),
        key(3, arms=(-5, 15, 90), wrists=(-40,), h="orchid"),
    ), taps((1, 2, 3, 4), lift=0.06), role="groove"),
)

UIGHUR = (
    Move("neck_slide", 4, (
        key(0, slide=12, la=(45, 30, 80, 60), lw=(-30, 0, 60), ra=(-20, 70, 60), h="flat", ease="hit"),
        key(1, slide=-12, la=(45, 30, 80, 60), lw=(-30, 0, 60), ra=(-20, 70, 60), h="flat", ease="hit"),
        key(2, slide=12, ra=(45, 30, 80, 60), rw=(-30, 0, 60), la=(-20, 70, 60), h="cupped", ease="hit"),
        key(3, slide=-12, ra=(45, 30, 80, 60), rw=(-30, 0, 60), la=(-20, 70, 60), h="flat", ease="hit"),
    )),
    Move("wrist_circles", 4, (
        key(0, arms=(10, 30, 20), wrists=(40, 0, -40), h="flat"),
        key(0.5, arms=(10, 30, 20), wrists=(-40, 0, 40), h="cupped"),
        key(1, arms=(15, 35, 20), wrists=(40, 0, -40), h="flat"),
        key(1.5, arms=(15, 35, 20), wrists=(-40, 0, 40), h="cupped"),
        key(2, la=(50, 30, 40), ra=(-20, 60, 60), wrists=(-30,), h="flat"),
        key(3, ra=(50, 30, 40), la=(-20, 60, 60), wrists=(-30,), h="spread"),
    ), taps((1, 2, 3, 4), lift=0.07)),
    Move("three_step_lift", 4, (
        key(0, la=(30, 40, 40), ra=(-30, 60, 60), wrists=(-30,), h="flat"),
        key(1, la=(30, 40, 40), ra=(-30, 60, 60), wrists=(-30,), h="fist"),
        key(2, ra=(30, 40, 40), la=(-30, 60, 60), wrists=(-30,), h="flat"),
        key(3, ra=(35, 40, 40), la=(-30, 60, 60), wrists=(-30,), h="spread", lean=-8),
    ), (step("L", 1, dz=0.15), step("R", 2, dz=0.3), step("L", 3, dz=0.3),
        step("R", 4, dz=0.3, lift=0.3, dur=1.0))),
    Move("spin", 4, (
        key(0, la=(40, 20, 30), ra=(-20, 60, 70), h="flat", nod=-10),
        key(1, la=(45, 20, 30), ra=(-20, 60, 70), h="fist", nod=-10),
        key(2, arms=(30, 15, 20), h="flat"),
        key(3, la=(60, 30, 40), ra=(-40, 40, 60), wrists=(-30,), h="spread"),
    ), turn_steps(360, 0.5, 0.5, 4)),
    Move("hat_hold", 4, (
        key(0, ra=(50, 35, 105, 40), rw=(-10,), la=(-40, 60, 60), lw=(-30, 0, 70), hr="cupped", hl="flat"),
        key(1, ra=(50, 35, 105, 40), rw=(-10,), la=(-30, 50, 50), lw=(-30, 0, 70), hr="cupped", hl="spread",
            turn=20),
        key(2, la=(50, 35, 105, 40), lw=(-10,), ra=(-40, 60, 60), rw=(-30, 0, 70), hl="cupped", hr="flat"),
        key(3, la=(50, 35, 105, 40), lw=(-10,), ra=(-30, 50, 50), rw=(-30, 0, 70), hl="cupped", hr="spread",
            turn=-20),
    ), (step("L", 1, dx=0.1, lift=0.08), step("L", 2), step("R", 3, dx=-0.1, lift=0.08), step("R", 4))),
    Move("clap_step", 4, (
        key(0, arms=(-20, 88, 55), h="flat", ease="hit"),
        key(1, arms=(20, 30, 30), wrists=(-30,), h="spread"),
        key(2, arms=(-20, 88, 55), h="flat", ease="hit"),
        key(3, arms=(20, 30, 30), wrists=(-30,), h="fist"),
    ), (step("R", 1, dx=-0.12), step("R", 2), step("L", 3, dx=0.12), step("L", 4))),
    Move("proud_walk", 4, (
        key(0, la=(20, 60, 30), ra=(-10, -10, 30), wrists=(-30,), h="flat", turn=15),
        key(1, ra=(20, 60, 30), la=(-10, -10, 30), wrists=(-30,), h="fist", turn=-15),
        key(2, la=(20, 60, 30), ra=(-10, -10, 30), wrists=(-30,), h="flat", turn=15),
        key(3, arms=(40, 30, 40), wrists=(-30,), h="spread", turn=0),
    ), walk(1.0, 1.0, 3, 0.2)),
    Move("snap_arms", 4, (
        key(0, arms=(40, 40, 40), h="snap_ready"),
        key(0.25, arms=(40, 40, 40), h="snap", ease="snap"),
        key(1, arms=(45, 35, 40), h="snap_ready", sway=0.04),
        key(1.25, arms=(45, 35, 40), h="snap", ease="snap", sway=0.04),
        key(2, la=(60, 30, 40), ra=(-20, 60, 60), h="snap_ready", sway=-0.04),
        key(2.25, la=(60, 30, 40), ra=(-20, 60, 60), h="snap", ease="snap"),
        key(3, arms=(30, 40, 40), h="flat"),
    ), taps((1, 2, 3, 4), lift=0.07)),
    Move("uighur_pose", 2, (
        key(0, la=(60, 30, 40), lw=(-30, 0, 70), ra=(-10, 70, 90), h="flat", lean=-8, nod=-10, ease="hit"),
        key(1, la=(60, 30, 40), lw=(-30, 0, 70), ra=(-10, 70, 90), hl="cupped", hr="flat", lean=-8, nod=-12,
            slide=10, ease="snap"),
    ), role="accent"),
    Move("uighur_groove", 4, (
        key(0, arms=(-30, 40, 60), wrists=(-30,), h="flat", slide=6),
        key(1, arms=(-25, 45, 60), wrists=(-20,), h="fist", slide=-6),
        key(2, arms=(-30, 40, 60), wrists=(-30,), h="flat", slide=6),
        key(3, arms=(-25, 45, 60), wrists=(-20,), h="snap_ready", slide=-6),
    ), taps((1, 2, 3, 4), lift=0.06), role="groove"),
)

MIAO = (
    Move("lusheng_step", 4, (
        key(0, arms=(-40, 80, 95), h="cupped", lean=14),
        key(1, arms=(-35, 80, 95), h="cupped", lean=18, twist=15),
        key(2, arms=(-40, 80, 95), h="relaxed", lean=14),
        key(3, arms=(-35, 80, 95), h="cupped", lean=18, twist=-15),
    ), (step("R", 1, lift=0.2), step("L", 2, lift=0.2), step("R", 3, lift=0.2), step("L", 4, lift=0.2))),
    Move("arm_swing", 4, (
        key(0, arms=(-20, 90, 20), h="relaxed", lean=8),
        key(1, arms=(-70, -30, 10), h="fist", lean=20, level=0.2),
        key(2, arms=(-20, 90, 20), h="flat", lean=8),
        key(3, arms=(-70, -30, 10), h="relaxed", lean=20, level=0.2),
    ), taps((1, 2, 3, 4), lift=0.08)),
    Move("stomp", 4, (
        key(0, arms=(-60, 40, 60), h="fist", lean=15),
        key(1, arms=(-50, 50, 70), h="relaxed", lean=20, level=0.18, ease="hit"),
        key(2, arms=(-60, 40, 60), h="fist", lean=15),
        key(3, arms=(-50, 50, 70), h="cupped", lean=20, level=0.18, ease="hit"),
    ), (step("R", 1, lift=0.22), step("L", 2, lift=0.12), step("R", 3, lift=0.22), step("L", 4, lift=0.12))),
    Move("circle_steps", 4, (
        key(0, la=(-40, 80, 95), ra=(-40, 80, 95), h="cupped"),
        key(1, arms=(-50, 60, 70), h="fist", twist=10),
        key(2, arms=(-40, 80, 95), h="cupped"),
        key(3, arms=(-50, 60, 70), h="flat", twist=-10),
    ), turn_steps(90, 1.0, 1.0, 2, lift=0.15)),
    Move("hand_flick", 4, (
        key(0, arms=(-60, 30, 40), wrists=(50,), h="relaxed", sway=0.05),
        key(0.5, arms=(-60, 30, 40), wrists=(-40,), h="spread", sway=0.03),
        key(1, arms=(-60, 30, 40), wrists=(50,), h="relaxed", sway=-0.05),
        key(1.5, arms=(-60, 30, 40), wrists=(-40,), h="spread", sway=-0.03),
        key(2, la=(-30, 60, 60), ra=(-70, 10, 20), wrists=(40,), h="cupped"),
        key(3, ra=(-30, 60, 60), la=(-70, 10, 20), wrists=(40,), h="fist"),
    ), taps((1, 2, 3, 4), lift=0.08)),
    Move("crouch_bounce", 4, (
        key(0, level=0.26, lean=25, arms=(-60, 50, 40), h="relaxed"),
        key(1, level=0.2, lean=22, arms=(-50, 60, 50), h="fist"),
        key(2, level=0.26, lean=25, arms=(-60, 50, 40), h="relaxed"),
        key(3, level=0.12, lean=14, arms=(-30, 70, 60), h="flat"),
    ), taps((1, 3), lift=0.1)),
    Move("side_swing_step", 4, (
        key(0, la=(-20, 20, 20), ra=(-60, 65, 30), h="relaxed", bend=-8),
        key(1, ra=(-20, 20, 20), la=(-60, 65, 30), h="fist", bend=8),
        key(2, la=(-20, 20, 20), ra=(-60, 65, 30), h="relaxed", bend=-8),
        key(3, ra=(-20, 20, 20), la=(-60, 65, 30), h="fist", bend=8),
    ), (step("L", 1, dx=0.18, lift=0.15), step("R", 2, dx=0.18, lift=0.15), step("R", 3, lift=0.15),
        step("L", 4, lift=0.15))),
    Move("miao_pose", 2, (
        key(0, arms=(-40, 80, 95), h="cupped", lean=25, level=0.24, twist=20, ease="hit"),
        key(1, arms=(-40, 80, 95), h="fist", lean=26, level=0.25, twist=22, turn=30, nod=-10),
    ), (step("R", 1, lift=0.18),), role="accent"),
    Move("miao_groove", 4, (
        key(0, arms=(-70, 30, 30), h="cupped", level=0.14),
        key(1, arms=(-60, 40, 40), h="fist", level=0.1),
        key(2, arms=(-70, 30, 30), h="cupped", level=0.14),
        key(3, arms=(-60, 40, 40), h="flat", level=0.1),
    ), taps((1, 2, 3, 4), lift=0.1), role="groove"),
)

VOCABULARY = {"Dai": DAI, "Uighur": UIGHUR, "Miao": MIAO}

