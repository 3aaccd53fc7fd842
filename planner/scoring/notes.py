"""The model card in words: why a candidate or learner was chosen, why there is no
uplift part, what the reasons explain and where the history does not overlap."""

from __future__ import annotations

import numpy as np

from planner.i18n import DEFAULT_LANG, STRINGS, fmt_int, fmt_num, fmt_pct, t
from planner.scoring.reasons import _province_names


def _why_text(why: dict, lang: str) -> str:
    """A stored reason (i18n key and parameters) in ``lang``; numbers the Indonesian way."""
    params = {k: fmt_int(v) if isinstance(v, (int, np.integer)) else v for k, v in (why.get("params") or {}).items()}
    return t(why["key"], lang, **params)


def uplift_reason(card: dict, lang: str = DEFAULT_LANG) -> str:
    """Why the model has no uplift part, in ``lang`` ("" when it has one)."""
    up = card.get("uplift") or {}
    if up.get("available"):
        return ""
    if card.get("kind") == "rates":
        return t("uplift.why.cold", lang)
    if up.get("why"):
        return _why_text(up["why"], lang)
    return up.get("reason") or t("uplift.why.cold", lang)


def choice_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """Which candidate model won the validation and by how much ("" for older cards)."""
    ch = card.get("model_choice")
    if not ch:
        return ""
    w = ch["winner"]
    if ch["margin_over_next"] < 0:  # the default kept: no other beat it by more than the noise limit
        other = max((k for k in ch["candidates"] if k != w), key=lambda k: ch["candidates"][k]["roc_auc"])
        return t("model.choice_default", lang, n=len(ch["candidates"]), winner=t(f"model.candidate.{w}", lang),
                 auc=fmt_num(ch["candidates"][w]["roc_auc"], 3), other=t(f"model.candidate.{other}", lang),
                 diff=fmt_num(-ch["margin_over_next"], 3))
    return t("model.choice", lang, n=len(ch["candidates"]), winner=t(f"model.candidate.{w}", lang),
             auc=fmt_num(ch["candidates"][w]["roc_auc"], 3), margin=fmt_num(ch["margin_over_next"], 3),
             over_default=fmt_num(ch["margin_over_default"], 3))


def reasons_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """What the reasons explain and how faithfully ("" for a model without reasons)."""
    ex = card.get("explainer") or {}
    fidelity = ex.get("fidelity") or {}
    if "r2_holdout" not in fidelity:
        return ""
    target = t(f"reason.target.{ex.get('target', 'p_enroll')}", lang)
    return t("model.reasons_line", lang, target=target, r2=fmt_pct(max(0.0, fidelity["r2_holdout"]), 0))


def overlap_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """Where the uplift is extrapolated rather than learned ("" when the history could
    show the effect of an invitation nearly everywhere)."""
    up = card.get("uplift") or {}
    region = up.get("overlap") if up.get("available") else None
    if not region or (region["share"] >= 0.9 and not region.get("no_overlap")):
        return ""
    share = fmt_pct(region["share"], 0)
    names = []
    for g in region.get("no_overlap", [])[:6]:
        v = _province_names().get(g["value"], g["value"]) if g["column"] == "province" else (
            t(f"size.{g['value']}", lang) if g["column"] == "size_class" and f"size.{g['value']}" in STRINGS else g["value"])
        names.append(t(f"uplift.group.{g['column']}", lang, v=v))
    more = region.get("no_overlap_groups", len(names)) - len(names)
    if more > 0:
        names.append(f"+{fmt_int(more)}")
    text = t("uplift.overlap_note", lang, share=share, groups=", ".join(names)) if names else t("uplift.overlap_share_only", lang, share=share)
    if up.get("chosen_by") == "poor_overlap":
        text += " " + t("uplift.poor_overlap_learner", lang)
    return text


def uplift_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """What a person should know when the model has no uplift part ("" when it has one):
    why not, and that targets and plans then rank by enrolment chance x workers.

    Shown on Sasaran and Jadwal and printed by ``score`` and ``schedule``: without it a
    list sorted by "uplift" silently sorts by something else."""
    reason = uplift_reason(card, lang)
    return t("uplift.fallback", lang, reason=reason) if reason else ""
