"""The identity HTTP API: `/api/auth/*` and the issuer's `/.well-known/*` documents."""
