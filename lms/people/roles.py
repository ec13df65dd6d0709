"""Roles are Django groups with a fixed name and a fixed set of model permissions.

The group names are stored in English (they are identifiers); people see the translated labels.
Scoping by agency is not a permission: selectors add it to every query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TRAINEE = "Trainee", _("Trainee")
    TRAINER = "Trainer", _("Trainer")
    COORDINATOR = "Training coordinator", _("Training coordinator")
    EDITOR = "Content editor", _("Content editor")
    MANAGER = "Programme manager", _("Programme manager")


# "app_label.codename" for each role; later issues extend these lists.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.TRAINEE: [],
    Role.TRAINER: [
        "people.view_profile",
        "courses.view_trainer_notes",
    ],
    Role.COORDINATOR: [
        "people.view_profile",
        "people.add_profile",
        "people.change_profile",
        "courses.view_trainer_notes",
    ],
    Role.EDITOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "content.add_legalprovision",
        "content.change_legalprovision",
        "content.view_legalprovision",
        "content.add_term",
        "content.change_term",
        "content.view_term",
        # SCORM packages and the learners' attempts at them (content.scorm)
        "content.add_scormpackage",
        "content.change_scormpackage",
        "content.delete_scormpackage",
        "content.view_scormpackage",
        "content.view_scormattempt",
        "wagtail_localize.submit_translation",
        "assessments.add_question",
        "assessments.change_question",
        "assessments.view_question",
        "assessments.add_assessment",
        "assessments.change_assessment",
        "assessments.view_assessment",
        "assessments.add_blueprint",
        "assessments.change_blueprint",
        "assessments.view_blueprint",
    ],
    Role.MANAGER: [
        "wagtailadmin.access_admin",
        "courses.view_trainer_notes",
        "content.add_legalprovision",
        "content.change_legalprovision",
        "content.view_legalprovision",
        "content.add_term",
        "content.change_term",
        "content.view_term",
        "content.publish_term",  # reviewers publish the termbase, like the lessons
        "content.add_scormpackage",
        "content.change_scormpackage",
        "content.delete_scormpackage",
        "content.view_scormpackage",
        "content.view_scormattempt",
        "wagtail_localize.submit_translation",
        "people.view_profile",
        "people.add_profile",
        "people.change_profile",
        "people.view_agency",
        "people.add_agency",
        "people.change_agency",
        "people.view_region",
        "people.view_trainingunit",
        "people.add_trainingunit",
        "people.change_trainingunit",
        "assessments.add_question",
        "assessments.change_question",
        "assessments.view_question",
        "assessments.add_assessment",
        "assessments.change_assessment",
        "assessments.view_assessment",
        "assessments.add_blueprint",
        "assessments.change_blueprint",
        "assessments.view_blueprint",
        "assessments.view_attempt",
        "trainers.add_certificationprogramme",
        "trainers.change_certificationprogramme",
        "trainers.view_certificationprogramme",
        "trainers.add_totcohort",
        "trainers.change_totcohort",
        "trainers.view_totcohort",
    ],
}
