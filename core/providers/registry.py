"""The provider registry: a plain dict from provider key to fetcher, built from the config."""

from __future__ import annotations

from dataclasses import replace

from core.instruments import InstrumentRegistry
from core.providers.base import Fetcher
from core.providers.binance import BinanceTicker
from core.providers.coingecko import CoinGeckoMarkets
from core.providers.defillama import DefiLlamaDexs, DefiLlamaProtocols, DefiLlamaStablecoins
from core.providers.eastmoney import EastmoneyIndexes, EastmoneyMarketStats, EastmoneyNorthbound
from core.providers.stooq import StooqDaily
from core.providers.yahoo import YahooChart
from core.settings import ProviderSettings

# Sources with one request per instrument; the others answer for several at once.
_PER_INSTRUMENT: dict[str, type[Fetcher]] = {
    "yahoo": YahooChart,
    "stooq": StooqDaily,
    "binance": BinanceTicker,
}
_GROUPED: dict[str, type[Fetcher]] = {
    "eastmoney": EastmoneyIndexes,
    "coingecko": CoinGeckoMarkets,
}


def default_providers(
    instruments: InstrumentRegistry, settings: ProviderSettings
) -> dict[str, Fetcher]:
    """Return every provider the configuration asks for, keyed ``source:scope``."""
    providers: dict[str, Fetcher] = {}
    wanted = {*settings.index_sources, *settings.crypto_sources}
    for source in (s for s in wanted if s in _PER_INSTRUMENT):
        for inst in instruments:
            if inst.symbol_for(source) is not None and _listed(inst.kind, source, settings):
                kind = _PER_INSTRUMENT[source]
                fetcher = kind(
                    covers=inst.display_name, market=inst.market, instruments=(inst.key,)
                )
                if kind is YahooChart:
                    # The chart range is fetched anyway; its bars back-fill the history store.
                    fetcher = replace(fetcher, history=True)
                providers[f"{source}:{inst.key}"] = fetcher
    for source in (s for s in wanted if s in _GROUPED):
        covered = [
            i for i in instruments if i.symbol_for(source) and _listed(i.kind, source, settings)
        ]
        if covered:
            providers[f"{source}:{_GROUPED[source].dataset}"] = _GROUPED[source](
                covers=", ".join(i.display_name for i in covered),
                market=covered[0].market,
                instruments=tuple(i.key for i in covered),
            )
    providers["eastmoney:breadth"] = EastmoneyMarketStats(
        covers="A-share breadth and turnover", market="CN"
    )
    providers["eastmoney:northbound"] = EastmoneyNorthbound(
        covers="Stock Connect northbound", market="CN"
    )
    providers["defillama:protocols"] = DefiLlamaProtocols(covers="DeFi TVL", market="CRYPTO")
    providers["defillama:stablecoins"] = DefiLlamaStablecoins(
        covers="stablecoin supply", market="CRYPTO"
    )
    providers["defillama:dexs"] = DefiLlamaDexs(covers="DEX volumes", market="CRYPTO")
    return dict(sorted(providers.items()))


def _listed(kind: str, source: str, settings: ProviderSettings) -> bool:
    order = settings.crypto_sources if kind == "crypto" else settings.index_sources
    return source in order
