"""Keep the cached course navigation true when the tree changes."""

from wagtail.signals import page_published, page_unpublished, post_page_move
from django.db.models.signals import post_delete

from .selectors import nav_invalidate

COURSE_PAGE_MODELS = ("CoursePage", "ModulePage", "LessonPage", "CourseIndexPage", "HomePage")


def _on_page_change(sender, **kwargs):
    nav_invalidate()


def register_signal_handlers():
    from . import models

    for name in COURSE_PAGE_MODELS:
        model = getattr(models, name)
        page_published.connect(_on_page_change, sender=model, dispatch_uid=f"courses_nav_pub_{name}")
        page_unpublished.connect(_on_page_change, sender=model, dispatch_uid=f"courses_nav_unpub_{name}")
        post_delete.connect(_on_page_change, sender=model, dispatch_uid=f"courses_nav_del_{name}")
    post_page_move.connect(_on_page_change, dispatch_uid="courses_nav_move")
