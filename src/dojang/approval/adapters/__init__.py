"""SQL storage of approval documents (a MongoDB adapter joins it in distributed mode)."""
