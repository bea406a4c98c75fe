"""Checks on a live snapshot: calendar closures, stale sessions and implausible figures.

Each check returns notes for the reader; a figure that cannot be right (a close that is
missing or not positive) is taken out, one that is merely surprising is kept and flagged.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from core.calendars import latest_completed_session, market_status
from core.formatting import session_label, signed_pct
from core.i18n import N_
from core.instruments import InstrumentRegistry
from core.phrase import figure, say, verbatim
from core.settings import QualitySettings
from core.snapshot import (
    CryptoQuote,
    IndexQuote,
    MarketSnapshot,
    NoteKind,
    SnapshotNote,
    StablecoinSupply,
)


def _positive(value: float | None) -> bool:
    return value is not None and value > 0


def calendar_notes(
    snapshot: MarketSnapshot, now: datetime, registry: InstrumentRegistry
) -> list[SnapshotNote]:
    """Return each market's closure and calendar-bound notes at ``now`` not already present."""
    present = set(snapshot.notes)
    return [n for n in market_status(now, registry=registry) if n not in present]


def session_notes(
    indexes: tuple[IndexQuote, ...], now: datetime, registry: InstrumentRegistry
) -> list[SnapshotNote]:
    """Return a note per index quote older than the latest completed session, or not closed."""
    notes = []
    for q in indexes:
        inst = registry.get(q.instrument)
        latest = latest_completed_session(inst.market, now, registry)
        if q.session_date < latest:
            notes.append(
                SnapshotNote(
                    NoteKind.STALE,
                    say(
                        "%(name)s: the latest quote (%(source)s) is from %(day)s, but the "
                        "%(latest)s session has closed; its move is the %(day)s one.",
                        name=inst.display_name,
                        source=verbatim(q.source),
                        day=figure(session_label, q.session_date),
                        latest=figure(session_label, latest),
                    ),
                    inst.market,
                )
            )
        elif q.session_date > latest:
            notes.append(
                SnapshotNote(
                    NoteKind.DATA_QUALITY,
                    say(
                        "%(name)s: the %(day)s session had not closed at %(now)s; the %(source)s "
                        "figure is intraday.",
                        name=inst.display_name,
                        day=figure(session_label, q.session_date),
                        now=f"{now:%Y-%m-%d %H:%M %Z}",
                        source=verbatim(q.source),
                    ),
                    inst.market,
                )
            )
    return notes


_WHAT = {"close": N_("close"), "previous close": N_("previous close"), "price": N_("price")}


def _rejected(name: str, source: str, what: str, value: object, day: object) -> str:
    return say(
        "%(name)s: %(source)s gave %(what)s %(value)s for %(day)s; quote left out.",
        name=name,
        source=verbatim(source),
        what=_WHAT[what],
        value=verbatim(repr(value)),
        day=day,
    )


def checked_indexes(
    indexes: tuple[IndexQuote, ...], registry: InstrumentRegistry, cfg: QualitySettings
) -> tuple[tuple[IndexQuote, ...], list[SnapshotNote]]:
    """Return the index quotes with usable closes, and notes on rejected or outsized moves."""
    kept: list[IndexQuote] = []
    notes: list[SnapshotNote] = []
    for q in indexes:
        inst = registry.get(q.instrument)
        day = figure(session_label, q.session_date)
        bad = None
        if not _positive(q.close):
            bad = ("close", q.close)
        elif q.previous_close is not None and q.previous_close <= 0:
            bad = ("previous close", q.previous_close)
        if bad is not None:
            message = _rejected(inst.display_name, q.source, *bad, day)
            notes.append(SnapshotNote(NoteKind.DATA_QUALITY, message, inst.market))
            continue
        kept.append(q)
        if q.change_pct is not None and abs(q.change_pct) > cfg.index_move_bound_pct:
            notes.append(
                SnapshotNote(
                    NoteKind.DATA_QUALITY,
                    say(
                        "%(name)s: %(change)s on %(day)s (%(source)s) is beyond the ±%(bound)s "
                        "plausibility bound; check it against another source before acting on it.",
                        name=inst.display_name,
                        change=signed_pct(q.change_pct),
                        day=day,
                        source=verbatim(q.source),
                        bound=f"{cfg.index_move_bound_pct:g}%",
                    ),
                    inst.market,
                )
            )
    return tuple(kept), notes


def checked_crypto(
    crypto: tuple[CryptoQuote, ...], registry: InstrumentRegistry
) -> tuple[tuple[CryptoQuote, ...], list[SnapshotNote]]:
    """Return the crypto quotes with a positive price, and notes on those left out."""
    kept = tuple(q for q in crypto if _positive(q.price_usd))
    notes = [
        SnapshotNote(
            NoteKind.DATA_QUALITY,
            _rejected(
                registry.get(q.instrument).display_name,
                q.source,
                "price",
                q.price_usd,
                figure(session_label, q.session_date),
            ),
            registry.get(q.instrument).market,
        )
        for q in crypto
        if not _positive(q.price_usd)
    ]
    return kept, notes


def checked_stablecoins(
    coins: tuple[StablecoinSupply, ...] | None, cfg: QualitySettings
) -> tuple[tuple[StablecoinSupply, ...] | None, list[SnapshotNote]]:
    """Return supplies with artefact-like day changes blanked, and a note per blanked coin."""
    if coins is None:
        return None, []
    kept: list[StablecoinSupply] = []
    notes: list[SnapshotNote] = []
    for coin in coins:
        before = coin.prev_day_usd
        jump = coin.change_pct is not None and abs(coin.change_pct) > cfg.stablecoin_jump_pct
        if before is None or (before > 0 and not jump):
            kept.append(coin)
            continue
        change = (
            say("a %(change)s supply change", change=signed_pct(coin.change_pct))
            if before > 0
            else say("a previous-day supply of %(before)s", before=verbatim(repr(before)))
        )
        message = say(
            "%(coin)s: %(source)s shows %(change)s in one day, beyond the ±%(bound)s artefact "
            "bound; its change is left out of the net stablecoin flow.",
            coin=coin.symbol,
            source=verbatim(coin.source),
            change=change,
            bound=f"{cfg.stablecoin_jump_pct:g}%",
        )
        notes.append(SnapshotNote(NoteKind.DATA_QUALITY, message, "CRYPTO"))
        kept.append(replace(coin, prev_day_usd=None, change_pct=None))
    return tuple(kept), notes


def crypto_window_notes(
    crypto: tuple[CryptoQuote, ...],
    now: datetime,
    registry: InstrumentRegistry,
    cfg: QualitySettings,
) -> list[SnapshotNote]:
    """Return a note per 24 h change whose window ends well before (or after) ``now``."""
    notes = []
    for q in crypto:
        if q.change_24h_pct is None or q.as_of is None:
            continue
        lag_min = (now - q.as_of).total_seconds() / 60.0
        if abs(lag_min) <= cfg.crypto_window_lag_minutes:
            continue
        inst = registry.get(q.instrument)
        kind = NoteKind.STALE if lag_min > 0 else NoteKind.DATA_QUALITY
        values = {
            "name": inst.display_name,
            "source": verbatim(q.source),
            "end": f"{q.as_of.astimezone(UTC):%Y-%m-%d %H:%M}",
            "hours": f"{abs(lag_min) / 60.0:,.1f}",
        }
        if lag_min > 0:
            message = say(
                "%(name)s: the %(source)s 24 h change ends %(end)s UTC, %(hours)s h before this "
                "report's instant; it is not the 24 h to then.",
                **values,
            )
        else:
            message = say(
                "%(name)s: the %(source)s 24 h change ends %(end)s UTC, %(hours)s h after this "
                "report's instant; it is not the 24 h to then.",
                **values,
            )
        notes.append(SnapshotNote(kind, message, inst.market))
    return notes


def check_snapshot(
    snapshot: MarketSnapshot,
    now: datetime,
    registry: InstrumentRegistry,
    cfg: QualitySettings,
) -> MarketSnapshot:
    """Return the snapshot with unusable figures removed and every check's notes added."""
    indexes, index_notes = checked_indexes(snapshot.indexes, registry, cfg)
    crypto, crypto_notes = checked_crypto(snapshot.crypto, registry)
    stablecoins, coin_notes = checked_stablecoins(snapshot.stablecoins, cfg)
    notes = [
        *snapshot.notes,
        *calendar_notes(snapshot, now, registry),
        *session_notes(indexes, now, registry),
        *index_notes,
        *crypto_notes,
        *crypto_window_notes(crypto, now, registry, cfg),
        *coin_notes,
    ]
    return snapshot.with_changes(
        indexes=indexes,
        crypto=crypto,
        stablecoins=stablecoins,
        notes=tuple(dict.fromkeys(notes)),
    )


def check_calendars(
    snapshot: MarketSnapshot, now: datetime, registry: InstrumentRegistry
) -> MarketSnapshot:
    """Return the snapshot with the calendar checks live data gets: closures and stale sessions.

    For a saved snapshot: its figures are kept as they are, only the notes are added.
    """
    notes = [
        *snapshot.notes,
        *calendar_notes(snapshot, now, registry),
        *session_notes(snapshot.indexes, now, registry),
    ]
    return snapshot.with_changes(notes=tuple(dict.fromkeys(notes)))
