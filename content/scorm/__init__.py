"""SCORM 1.2 and 2004 packages: upload, manifest, player and CMI data (see README)."""
