"""Disclaimer: not advice. Sources, sessions and the sample note are said once, in the header."""

from __future__ import annotations

from core.analysis.facts import Facts
from core.i18n import N_
from core.report import Paragraph, Section
from core.sections import section_info

NOT_ADVICE = N_("Not financial advice; computed automatically. Verify first.")


def build_disclaimer(facts: Facts) -> Section:
    """Return the disclaimer section, present in every report."""
    info = section_info("disclaimer")
    return Section(info.key, info.title, (Paragraph(NOT_ADVICE),))
