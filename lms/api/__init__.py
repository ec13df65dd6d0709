"""The REST API under /api/v1/: the cascade, the trainer registry and the reach of the cascade for programs.

The top layer of the project: it reads and writes only through the services and selectors of the apps
below (the same rules and the same scoping as the web pages), and nothing imports it but ``lms.urls``.
"""
