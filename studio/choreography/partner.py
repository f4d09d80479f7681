"""A second dancer from the lead's chosen motion, by duet rules (mirror, unison, canons), and the partner set
that puts a learned partner first and the rules after it.

**Rules** (``PartnerSource``): a canon repeats the lead ``delay`` beats later (its first beats come from the
end of the lead's previous segment). Seeds pick the rules, so the same seeds give the same partner. The rule
partner stands where the request's formation (``studio.core.formation``; None: the default, side by side at
``PARTNER_SPACING`` m to the lead's left) puts the partner of a lead at the lead's home spot (the origin,
facing +Z: where the lead's dances start), one rigid placement for the whole song (``Formation.place_dance``):
side by side it is the lead's copy moved 1.4 m to +x, as before formations; face to face the copy is also
turned to face the lead. One placement, not one per segment, so a rule partner's segments join where the
lead's do.

**Learned partner first** (``DuetSource``): of a request's N seeds the lowest ``N - rule_extras(N)`` go to the
partner model and the highest ``rule_extras(N)`` (a quarter, rounded down: 2 of 8, 1 of 4, none below 4) to the
rules, whose candidates stay as extra, labelled ones (``duet-rules:mirror``); the ranker puts them all in
order. The split is by seed value, not by position, so a follow (which passes the seeds in their ranked order)
gives each seed to the same source again. Without a model every seed goes to the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from studio.choreography.requests import GenerationRequest
from studio.choreography.sources import GeneratorUnavailable, MotionSource, check_interrupt
from studio.core.formation import DEFAULT_SPACING, Formation
from studio.core.motion import Motion, concatenate, held

PARTNER_ID = "duet-rules"
PARTNER_SPACING = DEFAULT_SPACING  # m between the dancers in the default formation (partner at +x: the left)


class PartnerSource:
    """The duet rules as a motion source (see the module docstring)."""

    name = "duet rules"
    model_id = PARTNER_ID
    device = "CPU"
    RULES = ("mirror", "canon-2", "unison", "mirror-canon-4", "canon-4", "mirror-canon-2")

    def rule(self, seed: int) -> str:
        return self.RULES[seed % len(self.RULES)]

    def motions(self, request, song, progress, interrupt):
        if request.lead is None:
            raise GeneratorUnavailable(f"segment {request.segment + 1} has no lead dance to partner yet")
        beat = 60.0 / song.tempo if getattr(song, "tempo", 0) else 0.5
        out = []
        for i, seed in enumerate(request.seeds):
            check_interrupt(interrupt)
            rule = self.rule(seed)
            out.append((self.partner(request, rule, beat), request.lead_genre, rule))
            progress(i + 1, request.num_candidates)
        return out

    def partner(self, request: GenerationRequest, rule: str, beat_seconds: float) -> Motion:
        lead = request.lead
        if "canon" in rule:
            delay = max(1, round(int(rule.rsplit("-", 1)[1]) * beat_seconds * lead.fps))
            before = request.lead_prev if request.lead_prev is not None else lead[:1]
            if len(before) < delay:  # the song's start: hold the first pose
                before = held(before, before=delay - len(before))
            lead = concatenate([before[len(before) - delay :], lead])[: len(request.lead)]
        copy = lead.mirrored() if rule.startswith("mirror") else lead
        return (request.formation or Formation()).place_dance(copy)


def rule_extras(count: int) -> int:
    """How many of ``count`` candidates the rules make beside a partner model: a quarter, rounded down."""
    return count // 4


JOIN_TOLERANCE = 0.1  # m between the partner's last root position and a rule extra's first (a frame's step is ~2 cm)


def joins(prev: Motion | None, motion: Motion) -> bool:
    """Whether ``motion`` starts where ``prev`` (the partner's previous segment, None: none) ends."""
    if prev is None or prev.num_frames == 0:
        return True
    return float(((prev.trans[-1] - motion.trans[0]) ** 2).sum()) ** 0.5 <= JOIN_TOLERANCE


class DuetSource:
    """A partner model's candidates first, the duet rules' as extra ones (see the module docstring).

    ``model`` None: the rules make every candidate (no partner model here); ``loader``: makes the model when
    it is first needed (``load``), so that a solo never waits for a partner model to load, and ``folder`` names
    it if it fails (then the rules make every candidate, and a note says why); ``notes``: said to the user with
    the next partner response, as a source's notes are (``Generators.generate``).
    """

    def __init__(self, model: MotionSource | None = None, rules: MotionSource | None = None, notes=(), *,
                 loader: Callable[[], MotionSource] | None = None, folder: str = "") -> None:  # fmt: skip
        self.model = model
        self.rules = rules if rules is not None else PartnerSource()
        self.notes: list[str] = list(notes)
        self.loader, self.folder = loader, folder

    @property
    def _first(self) -> MotionSource:
        return self.model if self.model is not None else self.rules

    @property
    def name(self) -> str:
        return self._first.name

    @property
    def model_id(self) -> str:
        return self._first.model_id

    @property
    def device(self) -> str:
        return self._first.device

    def load(self) -> None:
        """Make the model now if it is still to be made (a failure: the rules, and a note)."""
        if self.loader is None:
            return
        loader, self.loader = self.loader, None
        try:
            self.model = loader()
        except Exception as error:  # any failure of a model folder: the partner is still danced, by the rules
            where = f" in {self.folder}" if self.folder else ""
            self.notes.append(f"The partner model{where} did not load ({error}); the duet rules make the partner.")

    def split(self, seeds: tuple[int, ...]) -> tuple[list[int], list[int]]:
        """The positions in ``seeds`` of the model's candidates and of the rules' (the highest seeds)."""
        if self.model is None:
            return [], list(range(len(seeds)))
        order = sorted(range(len(seeds)), key=lambda i: (seeds[i], i))
        cut = len(seeds) - rule_extras(len(seeds))
        return sorted(order[:cut]), sorted(order[cut:])

    def motions(self, request, song, progress, interrupt):
        self.load()
        model_at, rules_at = self.split(request.seeds)
        if not model_at:
            return self._labelled(self.rules.motions(request, song, progress, interrupt))
        out: list = [None] * len(request.seeds)
        if rules_at:  # made first (they are quick): a rule extra that does not join the partner's own previous
            # segment (the rules stand rigidly where the formation puts them) would pop there; its seed goes to
            # the model instead
            ask = replace(request, seeds=tuple(request.seeds[i] for i in rules_at))
            made = self._labelled(self.rules.motions(ask, song, lambda done, total: None, interrupt))
            for i, item in zip(rules_at, made, strict=True):
                if joins(request.prev, item[0]):
                    out[i] = item
                else:
                    model_at.append(i)
            model_at.sort()
        extra = sum(item is not None for item in out)
        steps = [0]

        def model_progress(done: int, total: int) -> None:
            steps[0] = total
            progress(done, total + extra)

        ask = replace(request, seeds=tuple(request.seeds[i] for i in model_at))
        try:
            made = self.model.motions(ask, song, model_progress, interrupt)
        finally:
            self.notes.extend(getattr(self.model, "notes", ()))  # the model's own notes (a fallback to the CPU)
            if getattr(self.model, "notes", None):
                self.model.notes.clear()
        for i, item in zip(model_at, made, strict=True):
            out[i] = item
        for done in range(1, extra + 1):
            progress(steps[0] + done, steps[0] + extra)
        return out

    def _labelled(self, items):
        """The rules' candidates labelled with the rules' own id (``duet-rules:mirror``), not the model's."""
        if self.model is None:
            return items
        return [(m[0], m[1], f"{self.rules.model_id}:{m[2]}" if len(m) > 2 and m[2] else self.rules.model_id)
                for m in items]  # fmt: skip
