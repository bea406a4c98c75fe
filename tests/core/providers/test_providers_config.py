"""config/providers.toml, the provider registry, and the copied fixtures' provenance."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.providers.registry import default_providers
from core.settings import ProviderSettings, load_provider_settings
from tests.conftest import SHARED_FIXTURES


def test_every_provider_has_a_base_url(ctx):
    providers = default_providers(ctx.instruments, ctx.settings)
    for fetcher in providers.values():
        fetcher.build_query(ctx)  # raises ConfigError when its base URL is missing
    assert {f.source for f in providers.values()} == {
        "yahoo",
        "stooq",
        "binance",
        "coingecko",
        "eastmoney",
        "defillama",
    }


def test_registry_follows_the_source_lists(ctx):
    settings = ctx.settings.model_copy(
        update={"index_sources": ("yahoo",), "crypto_sources": ("binance",)}
    )
    keys = set(default_providers(ctx.instruments, settings))
    assert "yahoo:SPX" in keys and "binance:BTC" in keys
    assert not {k for k in keys if k.startswith(("stooq:", "coingecko:", "eastmoney:indexes"))}
    assert "yahoo:BTC" not in keys


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
