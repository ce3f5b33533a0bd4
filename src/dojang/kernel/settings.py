"""Settings shared by every service; each service extends `KernelSettings` with its own."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "dojang-development-secret-do-not-use-in-production"  # noqa: S105


class KernelSettings(BaseSettings):
    """What every Dojang service reads from `DOJANG_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="DOJANG_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(default=Path("data"), description="where embedded SQLite files live")
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET),
        description="protects the persisted signing key and hashes short-lived tickets",
    )
    log_level: str = "INFO"
    log_json: bool = True
    database_url: str | None = Field(
        default=None, description="SQLAlchemy async URL; default is a SQLite file in data_dir"
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

    # Token verification: the built-in issuer by default, or any OIDC issuer (e.g. Cognito).
    public_url: str = Field(default="http://127.0.0.1:8000", description="base URL of Dojang")
    oidc_issuer: str | None = Field(default=None, description="external issuer; None = built-in")
    oidc_jwks_url: str | None = None
    oidc_audience: str | None = Field(default=None, description="expected `aud` (ID tokens)")
    oidc_client_id: str | None = Field(default=None, description="expected `client_id` (Cognito)")
    oidc_groups_claim: str = "cognito:groups"
    oidc_subject_claim: str = "sub"
    oidc_role_map: dict[str, str] = Field(
        default_factory=dict, description="group name -> Dojang role; unmapped groups pass as is"
    )
    jwks_cache_seconds: int = 600
    port_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="how long a synchronous call to another service may take before a 503",
    )

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> KernelSettings:
        if self.environment != "development" and (
            self.secret_key.get_secret_value() == DEVELOPMENT_SECRET
        ):
            raise ValueError(
                "DOJANG_SECRET_KEY must be set to a secret of your own outside development"
            )
        if self.environment != "development" and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("DOJANG_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def issuer(self) -> str:
        """The `iss` every accepted token must carry."""
        return self.oidc_issuer or self.public_url.rstrip("/")

    def sqlite_url(self, name: str) -> str:
        """The SQLAlchemy URL of this service's SQLite file under `data_dir`."""
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"

    def database_url_for(self, name: str) -> str:
        """This service's database URL: the configured one or its embedded SQLite file."""
        return self.database_url or self.sqlite_url(name)
