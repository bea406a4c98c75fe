"""The provider registry: a plain dict from provider key to fetcher, built from the config."""

from __future__ import annotations

from dataclasses import replace

from core.i18n import N_
from core.instruments import Instrument, InstrumentRegistry
from core.phrase import listing, say
from core.providers.base import Fetcher
from core.providers.binance import BinanceTicker
from core.providers.coingecko import CoinGeckoMarkets
from core.providers.defillama import DefiLlamaDexs, DefiLlamaProtocols, DefiLlamaStablecoins
from core.providers.eastmoney import EastmoneyIndexes, EastmoneyMarketStats, EastmoneyNorthbound
from core.providers.kraken import KrakenTicker
from core.providers.okx import OkxTicker
from core.providers.sina import SinaQuotes
from core.providers.stock_connect import SseNorthbound, SzseNorthbound
from core.providers.stooq import StooqDaily
from core.providers.tencent import TencentKline, TencentQuotes
from core.providers.yahoo import YahooChart
from core.settings import ApiKeys, ProviderSettings

# Sources with one request per instrument; the others answer for a market's codes at once.
_PER_INSTRUMENT: dict[str, type[Fetcher]] = {
    "yahoo": YahooChart,
    "stooq": StooqDaily,
    "binance": BinanceTicker,
    "kraken": KrakenTicker,
    "okx": OkxTicker,
}
_GROUPED: dict[str, type[Fetcher]] = {
    "eastmoney": EastmoneyIndexes,
    "coingecko": CoinGeckoMarkets,
    "tencent": TencentQuotes,
    "sina": SinaQuotes,
}


def _usable(inst: Instrument, source: str, settings: ProviderSettings) -> bool:
    return inst.symbol_for(source) is not None and source in settings.order_for(inst.market)


def _quote_providers(
    instruments: InstrumentRegistry, settings: ProviderSettings, keys: ApiKeys
) -> dict[str, Fetcher]:
    providers: dict[str, Fetcher] = {}
    for inst in instruments:
        for source in settings.order_for(inst.market):
            kind = _PER_INSTRUMENT.get(source)
            if kind is None or not _usable(inst, source, settings):
                continue
            if source == "stooq" and keys.stooq is None:
                continue  # Stooq answers scripts without a key with a bot-check page
            fetcher = kind(covers=inst.display_name, market=inst.market, instruments=(inst.key,))
            if kind is YahooChart:
                # The chart range is fetched anyway; its bars back-fill the history store.
                fetcher = replace(fetcher, history=True)
            if kind is StooqDaily:
                fetcher = replace(fetcher, api_key=keys.stooq)
            providers[f"{source}:{inst.key}"] = fetcher
    for source, kind in _GROUPED.items():
        for market in instruments.markets:
            covered = [i for i in instruments.in_market(market) if _usable(i, source, settings)]
            if not covered:
                continue
            fetcher = kind(
                covers=listing(i.display_name for i in covered),
                market=market,
                instruments=tuple(i.key for i in covered),
            )
            if kind is CoinGeckoMarkets:
                fetcher = replace(fetcher, api_key=keys.coingecko_demo)
            providers[f"{source}:{kind.dataset}:{market}"] = fetcher
    for inst in instruments:
        if inst.market in settings.tencent_kline_markets and _usable(inst, "tencent", settings):
            providers[f"tencent:kline:{inst.key}"] = TencentKline(
                covers=say("%(name)s history", name=inst.display_name),
                market=inst.market,
                instruments=(inst.key,),
            )
    return providers


def default_providers(
    instruments: InstrumentRegistry, settings: ProviderSettings, keys: ApiKeys | None = None
) -> dict[str, Fetcher]:
    """Return every provider the configuration asks for, keyed ``source:scope``.

    ``keys`` are the optional API keys (default: read from the environment); Stooq is left
    out without one.
    """
    providers = _quote_providers(instruments, settings, keys or ApiKeys())
    providers["eastmoney:breadth"] = EastmoneyMarketStats(
        covers=N_("A-share breadth and turnover"), market="CN"
    )
    providers["eastmoney:northbound"] = EastmoneyNorthbound(
        covers=N_("Stock Connect northbound"), market="CN"
    )
    providers["sse:northbound"] = SseNorthbound(
        covers=N_("Shanghai Connect northbound turnover"), market="CN"
    )
    providers["szse:northbound"] = SzseNorthbound(
        covers=N_("Shenzhen Connect northbound turnover"), market="CN"
    )
    providers["defillama:protocols"] = DefiLlamaProtocols(covers="DeFi TVL", market="CRYPTO")
    providers["defillama:stablecoins"] = DefiLlamaStablecoins(
        covers=N_("stablecoin supply"), market="CRYPTO"
    )
    providers["defillama:dexs"] = DefiLlamaDexs(covers="DEX volumes", market="CRYPTO")
    return dict(sorted(providers.items()))
