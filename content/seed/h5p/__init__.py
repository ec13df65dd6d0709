"""Seed H5P activities and our own H5P content-type libraries (see package.py)."""
