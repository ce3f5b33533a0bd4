"""One service per process: its settings, its remote ports, its app (`dojang run SERVICE`)."""
