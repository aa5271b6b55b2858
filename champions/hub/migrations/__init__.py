"""Alembic migrations for the hub's database, shipped inside the package so installs can migrate."""
