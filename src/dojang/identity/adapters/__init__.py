"""Identity adapters: SQL tables and repositories, the argon2 hasher, the signing key store."""
