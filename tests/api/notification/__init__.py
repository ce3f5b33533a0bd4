"""The notification API and WebSocket over ASGI."""
