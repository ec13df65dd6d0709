"""H5P interactive content: package validation, storage, playback and xAPI statements."""
