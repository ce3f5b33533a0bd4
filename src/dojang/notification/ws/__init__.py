"""`/ws/notifications`: notifications pushed to the user's open sockets."""
