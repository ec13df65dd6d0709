"""Keep the cached course navigation, routes, view restrictions and rendered lessons true.

All of them are cached under one version (``selectors.nav_version``); any change that could alter
them starts a new version.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from content.h5p.services import h5p_package_ids_in, h5p_usage_sync
from content.models import H5PPackage, LegalProvision, ScormPackage
from content.scorm.services import scorm_package_ids_in, scorm_usage_sync

from . import models
from .selectors import nav_invalidate

COURSE_PAGE_MODELS = ("CoursePage", "ModulePage", "LessonPage", "CourseIndexPage", "HomePage")


def _on_content_change(sender, **kwargs):
    nav_invalidate()


def _on_lesson_published(sender, instance, **kwargs):
    h5p_usage_sync(page=instance, package_ids=h5p_package_ids_in(instance.body))
    scorm_usage_sync(page=instance, package_ids=scorm_package_ids_in(instance.body))


def _on_lesson_unpublished(sender, instance, **kwargs):
    h5p_usage_sync(page=instance, package_ids=[])
    scorm_usage_sync(page=instance, package_ids=[])


def register_signal_handlers():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site

    for name in COURSE_PAGE_MODELS:
        model = getattr(models, name)
        page_published.connect(_on_content_change, sender=model, dispatch_uid=f"courses_nav_pub_{name}")
        page_unpublished.connect(_on_content_change, sender=model, dispatch_uid=f"courses_nav_unpub_{name}")
        post_delete.connect(_on_content_change, sender=model, dispatch_uid=f"courses_nav_del_{name}")
    post_page_move.connect(_on_content_change, dispatch_uid="courses_nav_move")
    # the tables of which lesson uses which H5P and SCORM package follow what is live
    page_published.connect(_on_lesson_published, sender=models.LessonPage, dispatch_uid="courses_h5p_usage_pub")
    page_unpublished.connect(_on_lesson_unpublished, sender=models.LessonPage, dispatch_uid="courses_h5p_usage_unpub")
    # Lesson bodies show provisions, H5P activities, documents and images; routes depend on sites; view
    # restrictions are cached as a table.
    for model in (Site, PageViewRestriction, LegalProvision, H5PPackage, ScormPackage, get_document_model(), get_image_model()):
        post_save.connect(_on_content_change, sender=model, dispatch_uid=f"courses_nav_save_{model._meta.label}")
        post_delete.connect(_on_content_change, sender=model, dispatch_uid=f"courses_nav_delete_{model._meta.label}")
