"""The identity service: logins, the built-in token issuer, its keys, WebSocket tickets."""
