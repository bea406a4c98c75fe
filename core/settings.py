"""Settings: editable defaults from config/*.toml, overrides and secrets from the environment."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError


class SignalThresholds(BaseModel, frozen=True):
    """Percent moves that make a market risk-on / strongly risk-on (mirrored for risk-off)."""

    equity_risk_on_pct: float = 0.30
    equity_strong_pct: float = 1.00
    crypto_risk_on_pct: float = 1.00
    crypto_strong_pct: float = 3.00


class DivergenceSettings(BaseModel, frozen=True):
    """Spread thresholds in bps and the configured pairs (A minus B)."""

    notable_bps: float = 100
    major_bps: float = 250
    pairs: tuple[tuple[str, str], ...] = ()


class BreadthSettings(BaseModel, frozen=True):
    """Advance-rate bounds, in percent, for weak and strong breadth."""

    weak_pct: float = 25.0
    strong_pct: float = 75.0


class DefiSettings(BaseModel, frozen=True):
    """TVL floors and table sizes for the DeFi part of the crypto section."""

    tvl_floor_usd: float = 10_000_000
    category_tvl_floor_usd: float = 50_000_000
    movers_per_side: int = 3
    dex_movers: int = 3
    stablecoin_flow_usd: float = 500_000_000


class RiskSettings(BaseModel, frozen=True):
    """Scores that show a risk row and bucket its probability."""

    show_min_score: int = 1
    medium_score: int = 2
    high_score: int = 3


class HistorySettings(BaseModel, frozen=True):
    """Look-back of stored closes for spread z-scores and correlations, and what is unusual."""

    window_sessions: int = Field(default=60, ge=2)
    unusual_zscore: float = Field(default=2.0, gt=0)


class QualitySettings(BaseModel, frozen=True):
    """Bounds past which a live figure is flagged as a possible data error."""

    index_move_bound_pct: float = Field(default=10.0, gt=0)
    stablecoin_jump_pct: float = Field(default=25.0, gt=0)
    crypto_window_lag_minutes: float = Field(default=60.0, gt=0)


class TimelineSettings(BaseModel, frozen=True):
    """When one market's session counts as following another's, and when one is older."""

    link_window_hours: float = Field(default=24.0, gt=0)
    reader_timezone: str = "UTC"


class AnalysisSettings(BaseModel, frozen=True):
    """Every threshold the analysis uses (config/analysis.toml)."""

    signal: SignalThresholds = Field(default_factory=SignalThresholds)
    divergence: DivergenceSettings = Field(default_factory=DivergenceSettings)
    breadth: BreadthSettings = Field(default_factory=BreadthSettings)
    defi: DefiSettings = Field(default_factory=DefiSettings)
    risk: RiskSettings = Field(default_factory=RiskSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    quality: QualitySettings = Field(default_factory=QualitySettings)
    timeline: TimelineSettings = Field(default_factory=TimelineSettings)


class ProviderSettings(BaseModel, frozen=True):
    """How the live providers reach their sources (config/providers.toml ``[providers]``)."""

    user_agent: str = "marketbot/0.1 (daily cross-market report)"
    timeout_s: float = 10.0
    snapshot_deadline_s: float = Field(default=20.0, gt=0)
    rebuild_after_failure_s: float = Field(default=900.0, gt=0)
    max_retries: int = 2
    backoff_base_s: float = 0.5
    max_retry_wait_s: float = 10.0
    per_source_concurrency: int = 4
    tolerance_pct: float = 0.5
    change_tolerance_pp: float = 0.25
    source_order: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    headers: dict[str, dict[str, str]] = Field(default_factory=dict)
    base_urls: dict[str, str] = Field(default_factory=dict)
    fallback_urls: dict[str, str] = Field(default_factory=dict)
    breaker_failures: int = Field(default=3, ge=1)
    breaker_rest_s: float = Field(default=900.0, ge=0)
    last_good_max_age_s: float = Field(default=3 * 86400.0, ge=0)
    yahoo_range: str = "6mo"
    stooq_lookback_days: int = 40
    tencent_kline_bars: int = 140
    tencent_kline_markets: tuple[str, ...] = ("CN",)
    eastmoney_index_fs: str = "b:MK0010"
    eastmoney_breadth_secids: tuple[str, ...] = ("1.000001", "0.399001")
    northbound_amount_unit_cny: float = 1_000_000.0
    protocol_min_tvl_usd: float = 1_000_000.0
    protocol_exclude_categories: tuple[str, ...] = ("CEX",)
    stablecoins_top: int = 20
    dex_top: int = 50

    def order_for(self, market: str) -> tuple[str, ...]:
        """Return the sources of one market's instruments in order of preference."""
        return self.source_order.get(market, ())

    def headers_for(self, source: str) -> dict[str, str]:
        """Return the headers one source is sent: the User-Agent unless it has its own."""
        return {"User-Agent": self.user_agent} | self.headers.get(source, {})

    def base_url(self, name: str) -> str:
        """Return the configured base URL of one source, without a trailing slash."""
        try:
            return self.base_urls[name].rstrip("/")
        except KeyError as exc:
            raise ConfigError(f"providers.toml: no base URL for {name!r}") from exc

    def with_base_urls(self, url: str) -> ProviderSettings:
        """Return a copy that points every source at one base URL (local replays, benchmarks)."""
        urls = dict.fromkeys(self.base_urls, url)
        return self.model_copy(update={"base_urls": urls, "fallback_urls": {}})


class ApiKeys(BaseSettings):
    """Optional source keys from the environment; secret, so they never print or log."""

    model_config = SettingsConfigDict(extra="ignore")

    stooq: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("STOOQ_API_KEY", "MARKETBOT_STOOQ_API_KEY")
    )
    coingecko_demo: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("COINGECKO_DEMO_API_KEY", "MARKETBOT_COINGECKO_DEMO_API_KEY"),
    )


class EnvSettings(BaseSettings):
    """Values taken from MARKETBOT_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="MARKETBOT_", extra="ignore")

    config_dir: Path | None = None
    database_url: str = "sqlite:///marketbot.sqlite3"
    # Where source health (breakers, last good figures) is kept between runs; by default
    # beside a SQLite history database, else in the current folder.
    sources_state: Path | None = None

    def sources_state_path(self, database_url: str | None = None) -> Path:
        """Return the source-health file for a history database URL."""
        if self.sources_state is not None:
            return self.sources_state
        url = database_url or self.database_url
        prefix = "sqlite:///"
        if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
            db = Path(url[len(prefix) :])
            return db.with_name(db.stem + ".sources.json")
        return Path("marketbot-sources.json")


def config_dir(env: EnvSettings | None = None) -> Path:
    """Return the folder holding the TOML configuration files."""
    env = env or EnvSettings()
    if env.config_dir is not None:
        return env.config_dir
    return Path(str(resources.files("config")))


def read_toml(name: str, directory: Path | None = None) -> dict:
    """Read one TOML file from the configuration folder."""
    path = (directory or config_dir()) / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"configuration file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def load_analysis_settings(directory: Path | None = None) -> AnalysisSettings:
    """Build analysis thresholds from analysis.toml."""
    raw = read_toml("analysis.toml", directory)
    try:
        return AnalysisSettings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"analysis.toml: {exc}") from exc


@cache
def default_analysis_settings() -> AnalysisSettings:
    """Return (and cache) the thresholds from the default configuration folder."""
    return load_analysis_settings()


def load_provider_settings(directory: Path | None = None) -> ProviderSettings:
    """Build provider settings from the ``[providers]`` table of providers.toml."""
    raw = read_toml("providers.toml", directory)
    try:
        return ProviderSettings.model_validate(raw.get("providers", {}))
    except ValidationError as exc:
        raise ConfigError(f"providers.toml: {exc}") from exc


@cache
def default_provider_settings() -> ProviderSettings:
    """Return (and cache) the provider settings from the default configuration folder."""
    return load_provider_settings()
