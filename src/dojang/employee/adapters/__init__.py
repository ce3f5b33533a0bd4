"""SQLAlchemy tables, repositories, the unit of work and the directory of the employee service."""
