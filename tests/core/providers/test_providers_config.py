"""config/providers.toml, the provider registry, and the copied fixtures' provenance."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.providers.registry import default_providers
from core.settings import ApiKeys, ProviderSettings, load_provider_settings
from tests.conftest import SHARED_FIXTURES
from tests.core.providers.conftest import TEST_KEYS


def test_every_provider_has_a_base_url(ctx, providers):
    for fetcher in providers.values():
        fetcher.build_query(ctx)  # raises ConfigError when its base URL is missing
    assert {f.source for f in providers.values()} == {
        "yahoo",
        "stooq",
        "binance",
        "coingecko",
        "eastmoney",
        "defillama",
        "tencent",
        "sina",
        "kraken",
        "okx",
        "sse",
        "szse",
    }


def test_registry_follows_the_source_order(ctx):
    orders = {"US": ("yahoo",), "HK": ("tencent",), "CN": ("sina",), "CRYPTO": ("binance",)}
    settings = ctx.settings.model_copy(update={"source_order": orders})
    keys = set(default_providers(ctx.instruments, settings, TEST_KEYS))
    assert {"yahoo:SPX", "binance:BTC", "tencent:quotes:HK", "sina:quotes:CN"} <= keys
    assert not {k for k in keys if k.startswith(("stooq:", "coingecko:", "eastmoney:indexes"))}
    assert not {"yahoo:BTC", "yahoo:HSI", "tencent:quotes:US", "tencent:kline:SSE"} & keys


def test_stooq_needs_a_key(ctx):
    without = default_providers(ctx.instruments, ctx.settings, ApiKeys())
    assert not [k for k in without if k.startswith("stooq:")]
    with_key = default_providers(ctx.instruments, ctx.settings, TEST_KEYS)
    assert with_key["stooq:SPX"].build_query(ctx).params["apikey"] == "test-key"
    assert "test-key" not in repr(with_key["stooq:SPX"])


@pytest.mark.parametrize("market", ["US", "HK", "CN"])
def test_every_index_has_two_independent_sources(ctx, providers, market):
    for inst in ctx.instruments.in_market(market):
        sources = {f.source for f in providers.values() if inst.key in f.instruments}
        sources -= {"tencent"} if f"tencent:kline:{inst.key}" in providers else set()
        sources.add("tencent") if f"tencent:quotes:{market}" in providers else None
        assert len(sources - {"stooq"}) >= 2, (inst.key, sources)


def test_every_crypto_asset_has_three_sources(ctx, providers):
    for inst in ctx.instruments.in_market("CRYPTO"):
        sources = {f.source for f in providers.values() if inst.key in f.instruments}
        assert len(sources) >= 3, (inst.key, sources)


def test_base_urls_can_all_point_at_a_local_server(ctx):
    local = ctx.settings.with_base_urls("http://127.0.0.1:8080/")
    assert set(local.base_urls) == set(ctx.settings.base_urls)
    assert local.base_url("yahoo") == "http://127.0.0.1:8080"


def test_missing_base_url_is_a_config_error():
    with pytest.raises(ConfigError, match="no base URL for 'yahoo'"):
        ProviderSettings().base_url("yahoo")


def test_invalid_provider_settings_are_a_config_error(tmp_path):
    (tmp_path / "providers.toml").write_text('[providers]\ntimeout_s = "soon"\n')
    with pytest.raises(ConfigError, match=r"providers\.toml: "):
        load_provider_settings(tmp_path)


@pytest.mark.skipif(
    not SHARED_FIXTURES.is_dir(), reason="../shared/fixtures is not beside the clone"
)
def test_copied_fixtures_are_byte_identical_to_the_shared_recordings(fixtures_dir):
    copies = [
        p
        for p in fixtures_dir.rglob("*")
        if p.is_file() and not p.name.startswith("synthetic_") and "synthetic_" not in p.name
    ]
    assert copies
    for copy in copies:
        original = SHARED_FIXTURES / copy.relative_to(fixtures_dir)
        assert copy.read_bytes() == original.read_bytes(), copy.name


def test_every_fixture_has_its_source_note(fixtures_dir):
    bodies = [p for p in fixtures_dir.rglob("*") if p.is_file() and p.suffix != ".txt"]
    bodies += [p for p in fixtures_dir.rglob("*.txt") if not p.name.endswith(".source.txt")]
    for body in bodies:
        assert body.with_name(body.name + ".source.txt").is_file(), body.name
