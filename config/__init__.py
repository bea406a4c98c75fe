"""Editable defaults (TOML) read by core.settings; shipped as package data."""
