"""Chinese classical styles: Chinese, HanTang, ShenYun, Kun, DunHuang.

Their carriage: rounded arms (the "mountain arm" out to the side, the "supporting palm" over the head,
the "pressing palm" at the waist), wrists bent back, orchid hands (thumb on the middle finger, the others
raised), a lifted chest, breathing that lifts and sinks the body (ti-chen), circles of the torso, small
steps and slow turns. HanTang bends at the waist and flings its (imagined) long sleeves; ShenYun is the
body-rhyme training itself; Kun is small, slow and delicate; DunHuang takes the three-bend posture and
the hand shapes of the murals' flying apsaras.
"""

from __future__ import annotations

from studio.data.procedural.moves import Move, key, step
from studio.data.procedural.vocab_common import (
    AN_ZHANG,
    ROUND_UP,
    SHAN_BANG,
    TUO_ZHANG,
    taps,
    turn_steps,
    walk,
)  # fmt: skip

BACK = (-40,)  # wrist bent back
PRESS = (-60,)

CHINESE = (
    Move("cloud_hands", 4, (
        key(0, la=AN_ZHANG, lw=PRESS, ra=SHAN_BANG, rw=BACK, h="orchid", turn=15),
        key(1, la=(0, 95, 45), ra=(-30, 60, 60), twist=20, h="flat", turn=25),
        key(2, la=TUO_ZHANG, lw=BACK, ra=AN_ZHANG, rw=PRESS, twist=0, h="orchid", turn=0),
        key(3, la=SHAN_BANG, lw=BACK, ra=(0, 95, 45), twist=-20, hl="orchid", hr="flat", turn=-25),
    ), (step("L", 2, dx=0.05, dz=0.05, lift=0.06), step("L", 4, lift=0.06))),
    Move("ti_chen", 4, (
        key(0, level=0.02, lean=-6, nod=-10, arms=(-20, 20, 30), wrists=BACK, h="orchid"),
        key(1, level=0.14, lean=16, nod=15, arms=(-50, 35, 45), wrists=(-10,), h="fist"),
        key(2, level=0.02, lean=-6, nod=-10, arms=(0, 25, 30), wrists=BACK, h="orchid"),
        key(3, level=0.14, lean=16, nod=15, arms=(-50, 35, 45), wrists=(-10,), h="lotus"),
    )),
    Move("yuanchang", 4, (
        key(0, la=SHAN_BANG, ra=SHAN_BANG, wrists=BACK, h="orchid", level=0.06),
        key(1, la=SHAN_BANG, ra=(-20, 60, 60), wrists=BACK, h="flat", level=0.07, bend=8),
        key(2, la=SHAN_BANG, ra=SHAN_BANG, wrists=BACK, h="orchid", level=0.06),
        key(3, la=(-20, 60, 60), ra=SHAN_BANG, wrists=BACK, h="lotus", level=0.07, bend=-8),
    ), turn_steps(120, 0.5, 0.5, 6, lift=0.08)),
    Move("shunfengqi", 4, (
        key(0, la=TUO_ZHANG, lw=BACK, ra=SHAN_BANG, rw=BACK, turn=30, tilt=5, h="orchid"),
        key(1, la=TUO_ZHANG, lw=BACK, ra=SHAN_BANG, rw=BACK, turn=35, tilt=6, level=0.08, hl="lotus", hr="orchid"),
        key(2, ra=TUO_ZHANG, rw=BACK, la=SHAN_BANG, lw=BACK, turn=-30, tilt=-5, h="orchid"),
        key(3, ra=TUO_ZHANG, rw=BACK, la=SHAN_BANG, lw=BACK, turn=-35, tilt=-6, level=0.08, hr="lotus", hl="orchid"),
    ), (step("R", 2, dx=0.04, dz=0.1, lift=0.07), step("R", 4, lift=0.07))),
    Move("qing", 4, (
        key(0, bend=18, ra=(65, 25, 40), la=AN_ZHANG, lw=PRESS, h="orchid", tilt=6),
        key(1, bend=19, ra=(66, 25, 40), la=AN_ZHANG, lw=PRESS, h="flat", tilt=8, level=0.08),
        key(2, bend=-18, la=(65, 25, 40), ra=AN_ZHANG, rw=PRESS, h="orchid", tilt=-6),
        key(3, bend=-19, la=(66, 25, 40), ra=AN_ZHANG, rw=PRESS, h="lotus", tilt=-8, level=0.08),
    )),
    Move("step_point", 4, (
        key(0, la=SHAN_BANG, ra=AN_ZHANG, wrists=BACK, h="orchid", turn=20),
        key(1, la=SHAN_BANG, ra=(-20, 80, 50), wrists=BACK, h="sword", turn=25, lean=-5),
        key(2, ra=SHAN_BANG, la=AN_ZHANG, wrists=BACK, h="orchid", turn=-20),
        key(3, ra=SHAN_BANG, la=(-20, 80, 50), wrists=BACK, h="sword", turn=-25, lean=-5),
    ), (step("R", 1, dz=0.22, point=30, lift=0.1), step("R", 2), step("L", 3, dz=0.22, point=30, lift=0.1),
        step("L", 4))),
    Move("turn_shanbang", 4, (
        key(0, arms=SHAN_BANG, wrists=BACK, h="orchid"),
        key(1, arms=(-5, 20, 30, -20), wrists=BACK, h="flat", nod=-5),
        key(2, arms=SHAN_BANG, wrists=BACK, h="orchid"),
        key(3, la=TUO_ZHANG, ra=SHAN_BANG, wrists=BACK, h="lotus"),
    ), turn_steps(360, 1.0, 0.5, 4)),
    Move("chong_kao", 4, (
        key(0, lean=14, twist=20, la=(-30, 60, 50), ra=SHAN_BANG, wrists=BACK, h="orchid"),
        key(1, lean=-10, twist=-20, la=SHAN_BANG, ra=(-30, 60, 50), wrists=BACK, h="fist"),
        key(2, lean=14, twist=-20, ra=(-30, 60, 50), la=SHAN_BANG, wrists=BACK, h="orchid"),
        key(3, lean=-10, twist=20, ra=SHAN_BANG, la=(-30, 60, 50), wrists=BACK, h="lotus"),
    )),
    Move("liangxiang", 2, (
        key(0, la=TUO_ZHANG, lw=BACK, ra=SHAN_BANG, rw=BACK, h="orchid", level=0.08, ease="flow"),
        key(1, la=TUO_ZHANG, lw=BACK, ra=SHAN_BANG, rw=BACK, hl="orchid", hr="sword", level=0.1, turn=45,
            nod=-5, ease="snap"),
    ), role="accent"),
    Move("breath", 4, (
        key(0, arms=(-50, 35, 40), wrists=(-15,), h="orchid", level=0.04),
        key(1, arms=(-40, 40, 40), wrists=BACK, h="flat", level=0.06, lean=-4, nod=-5),
        key(2, arms=(-50, 35, 40), wrists=(-15,), h="orchid", level=0.04),
        key(3, arms=(-40, 40, 40), wrists=BACK, h="lotus", level=0.06, lean=-4, nod=-5),
    ), taps((2, 4), lift=0.06), role="groove"),
)

HANTANG = (
    Move("zheyao", 4, (
        key(0, lean=32, twist=20, arms=(35, -25, 20), wrists=(-20,), h="flat"),
        key(1, lean=8, twist=0, arms=(-20, 40, 30), h="fist"),
        key(2, lean=32, twist=-20, arms=(35, -25, 20), wrists=(-20,), h="flat"),
        key(3, lean=5, arms=(0, 60, 20), h="fist"),
    )),
    Move("sleeve_toss", 4, (
        key(0, la=(-55, 60, 90), lw=(40,), h="fist"),
        key(1, la=(70, 30, 0), lw=(-50,), hl="spread", hr="lotus", lean=-5),
        key(2, ra=(70, 30, 0), rw=(-50,), la=(-40, 30, 20), hr="spread", hl="flat", lean=-5),
        key(3, arms=(-40, 40, 30), h="fist", lean=15),
    )),
    Move("slow_walk", 4, (
        key(0, la=(0, 60, 20), ra=(-40, -20, 20), h="flat", turn=10),
        key(1, la=(-40, -20, 20), ra=(0, 60, 20), h="fist", turn=-10),
        key(2, la=(0, 60, 20), ra=(-40, -20, 20), h="orchid", turn=10),
        key(3, arms=(-30, 30, 30), h="flat"),
    ), walk(1.0, 1.0, 2, 0.16, lift=0.08)),
    Move("side_stretch", 4, (
        key(0, bend=24, la=(60, 5, 0), ra=(-50, -10, 10), h="flat", tilt=12),
        key(1, bend=24, la=(62, 5, 0), ra=(-50, -10, 10), h="fist", tilt=15, level=0.15),
        key(2, bend=-24, ra=(60, 5, 0), la=(-50, -10, 10), h="flat", tilt=-12),
        key(3, bend=-24, ra=(62, 5, 0), la=(-50, -10, 10), h="fist", tilt=-15, level=0.15),
    ), (step("L", 1, dx=0.1, lift=0.07), step("L", 3, lift=0.07))),
    Move("look_back", 4, (
        key(0, twist=38, turn=40, nod=10, la=(0, -20, 30), ra=(-30, 70, 80), h="orchid"),
        key(1, twist=40, turn=45, nod=12, la=(5, -20, 30), ra=(-30, 70, 80), h="cupped", level=0.14),
        key(2, twist=-38, turn=-40, nod=10, ra=(0, -20, 30), la=(-30, 70, 80), h="orchid"),
        key(3, twist=0, turn=0, arms=(-30, 40, 30), h="flat"),
    )),
    Move("sink_rise", 4, (
        key(0, level=0.06, arms=(-20, 40, 30), h="flat"),
        key(1, level=0.3, lean=22, arms=ROUND_UP, h="fist"),
        key(2, level=0.3, lean=20, arms=(60, 30, 40), h="orchid", nod=-10),
        key(3, level=0.06, arms=(-30, 40, 30), h="flat"),
    )),
    Move("slow_turn", 4, (
        key(0, la=(30, 20, 20), ra=(-40, 60, 40), h="lotus"),
        key(1, la=(40, 15, 10), ra=(-30, 60, 40), h="fist", lean=5),
        key(2, la=(30, 20, 20), ra=(-40, 60, 40), h="orchid"),
        key(3, arms=(-30, 40, 30), h="lotus"),
    ), turn_steps(180, 1.0, 1.0, 2)),
    Move("hantang_pose", 2, (
        key(0, lean=30, la=(40, -25, 10), ra=(-20, 70, 60), hl="spread", hr="orchid", twist=25, turn=30),
        key(1, lean=32, la=(42, -25, 10), ra=(-20, 70, 60), hl="flat", hr="orchid", twist=27, turn=40,
            ease="snap"),
    ), role="accent"),
    Move("sway_walk", 4, (
        key(0, arms=(-30, 40, 30), h="lotus", sway=0.04),
        key(1, arms=(-20, 50, 30), h="fist", sway=-0.04),
        key(2, arms=(-30, 40, 30), h="orchid", sway=0.04),
        key(3, arms=(-20, 50, 30), h="flat", sway=-0.04),
    ), taps((1, 3), lift=0.06), role="groove"),
)

SHENYUN = (
    Move("ti_chen", 4, (
        key(0, level=0.02, lean=-8, nod=-10, arms=AN_ZHANG, wrists=PRESS, h="orchid"),
        key(1, level=0.16, lean=18, nod=18, arms=(-55, 60, 60), wrists=(-20,), h="flat"),
        key(2, level=0.02, lean=-8, nod=-10, arms=AN_ZHANG, wrists=PRESS, h="orchid"),
        key(3, level=0.16, lean=18, nod=18, arms=(-55, 60, 60), wrists=(-20,), h="lotus"),
    )),
    Move("chong_kao", 4, (
        key(0, lean=15, twist=25, arms=AN_ZHANG, wrists=PRESS, h="orchid", turn=25),
        key(1, lean=-12, twist=-25, arms=AN_ZHANG, wrists=PRESS, h="flat", turn=-20),
        key(2, lean=15, twist=-25, arms=AN_ZHANG, wrists=PRESS, h="orchid", turn=-25),
        key(3, lean=-12, twist=25, arms=AN_ZHANG, wrists=PRESS, h="sword", turn=20),
    )),
    Move("han_tian", 4, (
        key(0, lean=22, nod=20, level=0.1, arms=(-30, 80, 60), h="fist"),
        key(1, lean=-12, nod=-15, level=0.03, arms=SHAN_BANG, wrists=BACK, h="orchid"),
        key(2, lean=22, nod=20, level=0.1, arms=(-30, 80, 60), h="lotus"),
        key(3, lean=-12, nod=-15, level=0.03, arms=SHAN_BANG, wrists=BACK, h="orchid"),
    )),
    Move("yi", 4, (
        key(0, sway=0.08, bend=-10, arms=SHAN_BANG, wrists=BACK, h="orchid", turn=-20),
        key(1, sway=-0.08, bend=10, arms=SHAN_BANG, wrists=BACK, h="fist", turn=20),
        key(2, sway=0.08, bend=-10, arms=SHAN_BANG, wrists=BACK, h="sword", turn=-20),
        key(3, sway=0.0, bend=0, la=TUO_ZHANG, ra=SHAN_BANG, wrists=BACK, h="orchid"),
    )),
    Move("yunshou", 4, (
        key(0, la=AN_ZHANG, ra=SHAN_BANG, wrists=BACK, h="orchid", twist=-15, turn=-20),
        key(1, la=(0, 95, 45), ra=(-40, 70, 60), twist=10, h="flat", turn=10),
        key(2, la=TUO_ZHANG, ra=AN_ZHANG, wrists=BACK, twist=20, h="orchid", turn=25),
        key(3, la=SHAN_BANG, ra=(0, 95, 45), twist=-10, hl="orchid", hr="lotus", turn=-10),
    ), (step("R", 2, dx=-0.05, lift=0.06), step("R", 4, lift=0.06))),
    Move("huangshou", 4, (
        key(0, arms=(65, 35, 40), wrists=BACK, bend=12, h="orchid"),
        key(1, arms=(60, 45, 50), wrists=BACK, bend=-12, h="fist"),
        key(2, arms=(65, 35, 40), wrists=BACK, bend=12, h="orchid", level=0.1),
        key(3, arms=(-40, 50, 50), wrists=BACK, bend=0, h="lotus"),
    )),
    Move("fenghuolun", 4, (
        key(0, la=(-80, 20, 10), ra=(70, 20, 10), twist=20, h="flat"),
        key(1, la=(0, -10, 10), ra=(0, 40, 10), twist=-20, h="sword", lean=10),
        key(2, la=(70, 20, 10), ra=(-80, 20, 10), twist=20, h="flat"),
        key(3, la=(0, 40, 10), ra=(0, -10, 10), twist=-20, h="sword", lean=10),
    ), (step("L", 1, dx=0.08, lift=0.06), step("L", 3, lift=0.06))),
    Move("shuanyao", 4, (
        key(0, lean=22, arms=(30, 30, 40), wrists=BACK, h="orchid"),
        key(1, bend=22, lean=0, arms=(30, 30, 40), wrists=BACK, h="flat"),
        key(2, lean=-14, arms=(40, 30, 40), wrists=BACK, h="orchid", nod=-15),
        key(3, bend=-22, lean=0, arms=(30, 30, 40), wrists=BACK, h="lotus"),
    )),
    Move("shenyun_pose", 2, (
        key(0, la=TUO_ZHANG, ra=AN_ZHANG, wrists=BACK, h="orchid", twist=20, lean=-6, level=0.08),
        key(1, la=TUO_ZHANG, ra=AN_ZHANG, wrists=BACK, hl="orchid", hr="sword", twist=22, turn=40, lean=-8,
            level=0.1, ease="snap"),
    ), role="accent"),
    Move("breath", 4, (
        key(0, arms=AN_ZHANG, wrists=PRESS, h="orchid", level=0.06),
        key(1, arms=(-35, 60, 60), wrists=BACK, h="flat", level=0.03, lean=-5),
        key(2, arms=AN_ZHANG, wrists=PRESS, h="orchid", level=0.06),
        key(3, arms=(-35, 60, 60), wrists=BACK, h="lotus", level=0.03, lean=-5),
    ), taps((2, 4), lift=0.06), role="groove"),
)

KUN = (
    Move("orchid_point", 4, (
        key(0, ra=(10, 70, 30), rw=(-20,), la=(-50, 60, 90), hr="orchid", hl="fist", turn=-25, tilt=-8),
        key(1, ra=(12, 65, 25), rw=(-25,), la=(-50, 60, 90), hr="orchid", hl="orchid", turn=-30, tilt=-10),
        key(2, la=(10, 70, 30), lw=(-20,), ra=(-50, 60, 90), hl="orchid", hr="fist", turn=25, tilt=8),
        key(3, la=(12, 65, 25), lw=(-25,), ra=(-50, 60, 90), hl="orchid", hr="orchid", turn=30, tilt=10),
    )),
    Move("fan_open", 4, (
        key(0, ra=(-20, 60, 60), rw=(-30, 0, 80), hr="fist", la=(-45, 60, 90), hl="orchid"),
        key(1, ra=(0, 40, 40), rw=(-40, 0, 80), hr="spread", la=(-45, 60, 90), hl="orchid", turn=-15),
        key(2, la=(-20, 60, 60), lw=(-30, 0, 80), hl="fist", ra=(-45, 60, 90), hr="orchid"),
        key(3, la=(0, 40, 40), lw=(-40, 0, 80), hl="spread", ra=(-45, 60, 90), hr="orchid", turn=15),
    )),
    Move("small_steps", 4, (
        key(0, arms=(-50, 60, 85), wrists=(-15,), h="orchid"),
        key(1, arms=(-45, 55, 80), wrists=(-20,), h="fist", turn=10),
        key(2, arms=(-50, 60, 85), wrists=(-15,), h="orchid", turn=-10),
        key(3, arms=(-45, 55, 80), wrists=(-20,), h="fist"),
    ), walk(0.5, 0.5, 5, 0.07, lift=0.08, lead="L")),
    Move("mirror_look", 4, (
        key(0, la=(-15, 70, 100, 40), lw=(-20, 0, 60), hl="flat", ra=(-50, 60, 90), hr="orchid", tilt=10,
            nod=5),
        key(1, la=(-15, 70, 100, 40), lw=(-20, 0, 60), hl="flat", ra=(-50, 60, 90), hr="orchid", tilt=-6,
            turn=10),
        key(2, la=(-50, 60, 90), hl="orchid", ra=(-50, 60, 90), hr="flat", tilt=0, nod=15),
        key(3, arms=(-45, 55, 80), h="fist"),
    )),
    Move("sleeve_cover", 4, (
        key(0, ra=(55, 45, 85), rw=(-30,), la=(-55, 55, 90), hr="fist", hl="orchid", turn=20, nod=10),
        key(1, ra=(58, 45, 85), rw=(-30,), la=(-55, 55, 90), hr="lotus", hl="orchid", turn=25, nod=12),
        key(2, la=(55, 45, 85), lw=(-30,), ra=(-55, 55, 90), hl="flat", hr="orchid", turn=-20, nod=10),
        key(3, arms=(-50, 60, 85), h="orchid"),
    )),
    Move("bow", 4, (
        key(0, arms=(-35, 85, 90), wrists=(0, 0, 30), hl="fist", hr="flat", lean=5),
        key(1, arms=(-35, 85, 90), wrists=(0, 0, 30), hl="fist", hr="flat", lean=22, nod=20, level=0.08),
        key(2, arms=(-35, 85, 90), wrists=(0, 0, 30), h="flat", lean=5),
        key(3, arms=(-50, 60, 85), h="orchid"),
    )),
    Move("head_sway", 4, (
        key(0, tilt=15, turn=20, la=(-30, 50, 60), ra=(-50, 60, 90), hl="orchid", hr="flat", sway=0.03),
        key(1, tilt=-15, turn=-20, ra=(-30, 50, 60), la=(-50, 60, 90), hr="orchid", hl="flat", sway=-0.03),
        key(2, tilt=15, turn=20, la=(-30, 50, 60), ra=(-50, 60, 90), hl="orchid", hr="orchid", sway=0.03),
        key(3, tilt=0, turn=0, arms=(-50, 60, 85), h="fist"),
    )),
    Move("kun_pose", 2, (
        key(0, ra=(20, 60, 40), rw=(-30,), hr="orchid", la=(-50, 60, 90), hl="flat", turn=-30, tilt=-10),
        key(1, ra=(22, 60, 40), rw=(-30,), hr="orchid", la=(-50, 60, 90), hl="orchid", turn=-35, tilt=-12,
            ease="snap"),
    ), role="accent"),
    Move("kun_breath", 4, (
        key(0, arms=(-50, 60, 85), h="orchid", level=0.05),
        key(1, arms=(-45, 55, 80), h="fist", level=0.03, nod=5),
        key(2, arms=(-50, 60, 85), h="orchid", level=0.05),
        key(3, arms=(-45, 55, 80), h="lotus", level=0.03, nod=5),
    ), taps((2, 4), lift=0.06), role="groove"),
)

DUNHUANG = (
    Move("sandaowan", 4, (
        key(0, sway=0.08, bend=-20, tilt=15, la=(0, 20, 90, 60), ra=(-40, 40, 90), h="orchid"),
        key(1, sway=0.09, bend=-22, tilt=18, la=(5, 20, 90, 60), ra=(-40, 40, 90), hl="fist", hr="orchid",
            level=0.12),
        key(2, sway=-0.08, bend=20, tilt=-15, ra=(0, 20, 90, 60), la=(-40, 40, 90), h="orchid"),
        key(3, sway=-0.09, bend=22, tilt=-18, ra=(5, 20, 90, 60), la=(-40, 40, 90), hr="fist", hl="orchid",
            level=0.12),
    ), (step("L", 1, dx=0.06, lift=0.06), step("L", 3, lift=0.06))),
    Move("apsara_reach", 4, (
        key(0, la=(62, 40, 10), ra=(-30, -30, 20), lean=15, h="lotus"),
        key(1, la=(65, 40, 10), ra=(-25, -30, 20), lean=20, hl="orchid", hr="fist"),
        key(2, la=(62, 40, 10), ra=(-30, -30, 20), lean=15, h="lotus"),
        key(3, arms=(-20, 30, 90, 40), lean=5, h="fist"),
    ), (step("R", 3, dz=-0.05, lift=0.3, point=45, dur=2.0), step("R", 4, dur=0.6))),
    Move("lotus_hands", 4, (
        key(0, arms=(-20, 60, 100, 40), wrists=(-40, 0, 40), h="lotus"),
        key(0.5, arms=(-20, 60, 100, 40), wrists=(20, 0, -20), h="orchid"),
        key(1, arms=(-15, 55, 100, 40), wrists=(-40, 0, 40), h="lotus", tilt=10),
        key(2, arms=(0, 30, 80, 50), wrists=(-30,), h="claw", tilt=-10),
        key(3, arms=(-20, 60, 100, 40), wrists=(-40, 0, 40), h="orchid"),
    ), taps((2, 4), lift=0.06)),
    Move("bell_arms", 4, (
        key(0, arms=(0, 20, 90, 85), wrists=BACK, h="orchid", tilt=10),
        key(1, arms=(-40, 30, 90, -40), wrists=(20,), h="sword", tilt=-10),
        key(2, la=(0, 20, 90, 85), ra=(-40, 30, 90, -40), wrists=BACK, h="orchid", sway=0.06),
        key(3, ra=(0, 20, 90, 85), la=(-40, 30, 90, -40), wrists=BACK, h="fist", sway=-0.06),
    )),
    Move("dunhuang_turn", 4, (
        key(0, la=(60, 20, 40), ra=(-30, 30, 90), wrists=BACK, h="orchid"),
        key(1, la=(65, 20, 40), ra=(-30, 30, 90), wrists=BACK, h="claw", tilt=10),
        key(2, la=(60, 20, 40), ra=(-30, 30, 90), wrists=BACK, h="orchid"),
        key(3, arms=(-20, 20, 90), wrists=BACK, h="peacock"),
    ), turn_steps(180, 1.0, 1.0, 2)),
    Move("step_hip", 4, (
        key(0, sway=0.08, bend=-15, la=(20, 30, 60), ra=(-50, 40, 90), h="orchid"),
        key(1, sway=0.09, bend=-18, la=(25, 30, 60), ra=(-50, 40, 90), h="lotus"),
        key(2, sway=-0.08, bend=15, ra=(20, 30, 60), la=(-50, 40, 90), h="orchid"),
        key(3, sway=-0.09, bend=18, ra=(25, 30, 60), la=(-50, 40, 90), h="fist"),
    ), (step("L", 1, dx=0.12), step("R", 2, dx=0.12), step("R", 3), step("L", 4))),
    Move("toe_tap_pose", 4, (
        key(0, la=(0, 20, 90, 60), ra=(-30, 50, 90), wrists=BACK, h="orchid", lean=5),
        key(1, la=(5, 20, 90, 60), ra=(-30, 50, 90), wrists=BACK, h="cupped", lean=8, tilt=10),
        key(2, ra=(0, 20, 90, 60), la=(-30, 50, 90), wrists=BACK, h="orchid", lean=5),
        key(3, ra=(5, 20, 90, 60), la=(-30, 50, 90), wrists=BACK, h="claw", lean=8, tilt=-10),
    ), (step("R", 1, dz=0.2, lift=0.12, point=40), step("R", 2), step("L", 3, dz=0.2, lift=0.12, point=40),
        step("L", 4))),
    Move("apsara_pose", 2, (
        key(0, la=(66, 35, 20), ra=(-10, -30, 60), lean=15, sway=0.06, bend=-12, h="orchid"),
        key(1, la=(68, 35, 20), ra=(-10, -30, 60), lean=16, sway=0.07, bend=-13, hl="lotus", hr="orchid",
            turn=30, ease="snap"),
    ), role="accent"),
    Move("mural_breath", 4, (
        key(0, arms=(-20, 20, 90), wrists=BACK, h="orchid", sway=0.06),
        key(1, arms=(-25, 25, 90), wrists=(-20,), h="cupped", sway=0.03),
        key(2, arms=(-20, 20, 90), wrists=BACK, h="orchid", sway=0.06),
        key(3, arms=(-25, 25, 90), wrists=(-20,), h="fist", sway=0.03),
    ), taps((2, 4), lift=0.06), role="groove"),
)

VOCABULARY = {"Chinese": CHINESE, "HanTang": HANTANG, "ShenYun": SHENYUN, "Kun": KUN, "DunHuang": DUNHUANG}

