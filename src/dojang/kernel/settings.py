"""Settings shared by every service; each service extends `KernelSettings` with its own."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dojang.kernel.i18n.languages import DEFAULT_LANGUAGE, Language
from dojang.kernel.mysql import MysqlOptions

DEVELOPMENT_SECRET = "dojang-development-secret-do-not-use-in-production"  # noqa: S105
# zxcvbn's estimate of the guesses a secret needs: 10^20 is about 66 bits; any generated
# secret is far above (64 hex digits: about 10^60), "a" * 32 or a repeated word far below.
MIN_SECRET_LOG10_GUESSES = 20


class KernelSettings(BaseSettings):
    """What every Dojang service reads from `DOJANG_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="DOJANG_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = Field(
        default="development",
        description="outside development the secret must be a strong one of your own and the "
        "demo is refused (production)",
    )
    data_dir: Path = Field(default=Path("data"), description="where embedded SQLite files live")
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET),
        description="protects the persisted signing key and hashes refresh tokens",
    )
    default_language: Language = Field(
        default=DEFAULT_LANGUAGE,
        description="language of answers whose Accept-Language names neither ko nor en",
    )
    log_level: str = Field(default="INFO", description="the lowest level logged (structlog)")
    log_json: bool | None = Field(
        default=None, description="JSON log lines; default: in production only, else console"
    )
    tracing: bool = Field(
        default=False,
        description=(
            "OpenTelemetry tracing, exported by OTLP over HTTP to the standard "
            "OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318); off by default"
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy async URL of a service's database when its own "
            "DOJANG_<SERVICE>_DATABASE_URL is unset (one service per process: every service "
            "has an `outbox` table); unset too, a SQLite file in data_dir"
        ),
    )
    database_pool_size: int = Field(
        default=10, ge=1, le=500, description="connections a MySQL/MariaDB pool keeps open"
    )
    database_max_overflow: int = Field(
        default=10, ge=0, le=500, description="connections it may open beyond the pool at a peak"
    )
    database_lock_wait_seconds: int = Field(
        default=10,
        ge=1,
        le=3600,
        description="how long a MySQL/MariaDB statement waits for a row lock before it fails",
    )

    # The bus: the embedded log in data_dir, or Kafka when a bootstrap address is set.
    kafka_bootstrap: str | None = Field(
        default=None,
        description="Kafka bootstrap servers (host:port[,host:port]); set, events go over Kafka",
    )
    kafka_partitions: int = Field(
        default=6, ge=1, description="partitions of each topic Dojang creates (dead letters: 1)"
    )
    kafka_replication_factor: int = Field(
        default=1, ge=1, description="replicas of each topic Dojang creates"
    )
    kafka_namespace: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9._-]*$",
        description="prefix of every topic and consumer group, so deployments share a cluster",
    )
    # Bounded storage (docs/retention.md): what is old enough goes, like Kafka's retention.
    bus_retention_hours: float = Field(
        default=168, gt=0, description="embedded bus: messages older than this are deleted"
    )
    bus_retention_bytes: int = Field(
        default=512 * 1024 * 1024,
        gt=0,
        description="embedded bus: each topic keeps at most about this many bytes of messages",
    )
    processed_retention_hours: float = Field(
        default=168,
        gt=0,
        description="consumers forget event ids processed longer ago (the redelivery window)",
    )
    retention_interval_seconds: float = Field(
        default=3600, gt=0, description="how often the retention job runs"
    )
    web_dir: Path | None = Field(
        default=None,
        description="the built web app `dojang serve` serves; default: the checkout's "
        "web/dist when it has been built",
    )

    # Token verification: the built-in issuer by default, or any OIDC issuer (e.g. Cognito).
    public_url: str = Field(default="http://127.0.0.1:8000", description="base URL of Dojang")
    oidc_issuer: str | None = Field(default=None, description="external issuer; None = built-in")
    oidc_jwks_url: str | None = Field(
        default=None,
        description="the external issuer's JWKS; default: the one its discovery document names",
    )
    oidc_audience: str | None = Field(default=None, description="expected `aud` (ID tokens)")
    oidc_client_id: str | None = Field(default=None, description="expected `client_id` (Cognito)")
    oidc_groups_claim: str = Field(
        default="cognito:groups", description="the claim of an external token listing its groups"
    )
    oidc_subject_claim: str = Field(
        default="sub", description="the claim of an external token naming the user"
    )
    oidc_role_map: dict[str, str] = Field(
        default_factory=dict, description="group name -> Dojang role; unmapped groups pass as is"
    )
    jwks_cache_seconds: int = Field(
        default=600, description="how long fetched keys are trusted before a refetch"
    )
    port_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="how long a synchronous call to another service may take before a 503",
    )

    # The HTTP server's bounds (`kernel.web.server`).
    trusted_proxies: str = Field(
        default="",
        description="comma-separated addresses or networks of the reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; empty = none",
    )
    http_header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="a request's headers must arrive within this time"
    )
    http_max_connections: int = Field(
        default=1000, gt=0, description="connections served at once; more get 503"
    )
    ws_max_message_bytes: int = Field(
        default=64 * 1024, gt=0, description="the largest WebSocket message a client may send"
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="web origins (scheme://host[:port]) of another site whose pages may call "
        'the API, as a JSON list (["https://intranet.example.com"]); empty = the web app '
        "served by Dojang itself only",
    )

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_bare_origins(cls, origins: list[str]) -> list[str]:
        return [web_origin(origin) for origin in origins]

    @field_validator("web_dir")
    @classmethod
    def _web_dir_holds_a_build(cls, web_dir: Path | None) -> Path | None:
        if web_dir is not None and not (web_dir / "index.html").is_file():
            raise ValueError(
                f"{web_dir} has no index.html: build the web app (cd web && npm run build) "
                "or point DOJANG_WEB_DIR at a build"
            )
        return web_dir

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> KernelSettings:
        if self.environment != "development" and (
            self.secret_key.get_secret_value() == DEVELOPMENT_SECRET
        ):
            raise ValueError(
                "DOJANG_SECRET_KEY must be set to a secret of your own outside development"
            )
        if self.environment != "development":
            secret = self.secret_key.get_secret_value()
            if len(secret) < 32:
                raise ValueError("DOJANG_SECRET_KEY must be at least 32 characters")
            if _log10_guesses(secret) < MIN_SECRET_LOG10_GUESSES:
                raise ValueError(
                    "DOJANG_SECRET_KEY is too easy to guess (a repeated or well-known text): "
                    "generate one, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`"
                )
        return self

    @property
    def logs_as_json(self) -> bool:
        """Whether log lines are JSON (for machines) rather than console text (for people)."""
        return self.log_json if self.log_json is not None else self.environment == "production"

    @property
    def issuer(self) -> str:
        """The `iss` every accepted token must carry."""
        return self.oidc_issuer or self.public_url.rstrip("/")

    @property
    def builtin_issuer(self) -> str:
        """The `iss` of what Dojang's own issuer signs: access tokens and WebSocket tickets."""
        return self.public_url.rstrip("/")

    def sqlite_url(self, name: str) -> str:
        """The SQLAlchemy URL of this service's SQLite file under `data_dir`."""
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"

    def database_url_for(self, name: str, own: str | None = None) -> str:
        """This service's database URL: its `own` (DOJANG_<SERVICE>_DATABASE_URL), else
        `database_url`, else its embedded SQLite file."""
        return own or self.database_url or self.sqlite_url(name)

    @property
    def mysql_options(self) -> MysqlOptions:
        """The pool and lock settings of a MySQL/MariaDB engine."""
        return MysqlOptions(
            pool_size=self.database_pool_size,
            max_overflow=self.database_max_overflow,
            lock_wait_timeout_seconds=self.database_lock_wait_seconds,
        )


def web_origin(text: str) -> str:
    """`text` as a browser sends it in `Origin`: scheme, host and port, nothing else."""
    candidate = text.strip().removesuffix("/")
    parts = urlsplit(candidate)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or "*" in candidate
        or "@" in candidate
    ):
        raise ValueError(
            f"{text!r} is not a web origin: write scheme://host[:port], such as "
            "https://intranet.example.com, with no path and no wildcard"
        )
    return candidate.lower()


def _log10_guesses(secret: str) -> float:
    # imported here: its dictionaries cost each process some 14 MiB, and only a secret
    # outside development is estimated
    from zxcvbn import zxcvbn

    # zxcvbn reads at most 72 characters; a secret weak in its first 72 is weak
    return float(zxcvbn(secret[:72])["guesses_log10"])
