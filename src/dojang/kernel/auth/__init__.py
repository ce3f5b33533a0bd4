"""Token verification: the built-in issuer's keys or any OIDC issuer's JWKS."""
