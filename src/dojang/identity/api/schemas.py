"""Request and response bodies of the identity API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dojang.identity.domain.accounts import MAX_EMAIL_LENGTH
from dojang.identity.domain.passwords import MAX_PASSWORD_LENGTH
from dojang.kernel.ports import EmployeeView


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=MAX_EMAIL_LENGTH)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=512)


class TokenResponse(BaseModel):
    access_token: str = Field(description="an RS256 JWT; send it as `Authorization: Bearer`")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth token type)
    expires_in: int = Field(description="seconds until the access token expires")
    refresh_token: str = Field(description="single use; exchange it at /api/auth/refresh")


class MeResponse(BaseModel):
    employee: EmployeeView
    roles: list[str]


class TicketResponse(BaseModel):
    ticket: str = Field(description="for `WS /ws/notifications?ticket=`; works once")
    expires_in: int


class Jwk(BaseModel):
    kty: Literal["RSA"]
    kid: str
    use: Literal["sig"]
    alg: Literal["RS256"]
    n: str
    e: str


class JwksResponse(BaseModel):
    keys: list[Jwk]


class OpenIdConfiguration(BaseModel):
    issuer: str
    jwks_uri: str
    token_endpoint: str
    grant_types_supported: list[str]
    response_types_supported: list[str]
    subject_types_supported: list[str]
    id_token_signing_alg_values_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    claims_supported: list[str]
