"""A second dancer from the lead's chosen motion, by duet rules: mirror, unison and canons.

Rules for now (a learned partner model would be another ``MotionSource`` here): the partner stands
``PARTNER_SPACING`` m to the lead's left; a canon repeats the lead ``delay`` beats later (its first beats come
from the end of the lead's previous segment). Seeds pick the rules, so the same seeds give the same partner.
"""

from __future__ import annotations

from studio.choreography.requests import GenerationRequest
from studio.choreography.sources import GeneratorUnavailable, check_interrupt
from studio.core.motion import Motion, concatenate, held

PARTNER_ID = "duet-rules"
PARTNER_SPACING = 1.4  # metres between the two dancers (lead at x ~ 0, partner to its left, +x)


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
        if rule.startswith("mirror"):
            return lead.mirrored().translated([PARTNER_SPACING, 0.0, 0.0])
        return lead.translated([PARTNER_SPACING, 0.0, 0.0])
